using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Fuzzing;

/// <summary>
/// The extended-ack locator: the kernel names a refused attribute by NLMSGERR_ATTR_OFFS, a byte offset into the
/// message it refused, and <see cref="AttributeLocator.Describe"/> turns that back into an attribute path. The
/// offset is the kernel's word, so any value must give a path or null — never an exception. Offsets above
/// int.MaxValue never reach it (<see cref="NetlinkErrorReply"/> drops them), so they are skipped here too.
/// </summary>
internal static class ExtendedAckLocatorTarget
{
    private const int OffsetSize = sizeof(uint);

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < OffsetSize)
        {
            return;
        }

        uint offset = MemoryMarshal.Read<uint>(input);
        if (offset > int.MaxValue)
        {
            return;
        }

        string? path = AttributeLocator.Describe(input[OffsetSize..], (int)offset);
        if (path is { Length: 0 })
        {
            throw new FuzzContractException($"an empty attribute path for offset {offset}");
        }
    }

    /// <summary>Each table, chain and rule message of nft's isolate batch, with an offset into its last attribute bytes.</summary>
    public static IEnumerable<FuzzSeed> Seeds(TestVectorSet vectors)
    {
        IReadOnlyList<byte[]> batch = vectors.Messages("isolate-transaction.request");
        for (int i = 0; i < batch.Count; i++)
        {
            byte[] message = batch[i];
            ushort type = MemoryMarshal.Read<ushort>(message.AsSpan(4));
            if (type >> 8 != NfNetlinkConstants.NFNL_SUBSYS_NFTABLES)
            {
                continue;
            }

            // The 8 bytes before the end: in a rule, inside the last expression's data — the deepest path there is.
            var seed = new byte[OffsetSize + message.Length];
            MemoryMarshal.Write(seed, (uint)(message.Length - 8));
            message.CopyTo(seed, OffsetSize);
            yield return new FuzzSeed($"isolate-transaction.request.{i:00}.bin", seed);
        }
    }
}
