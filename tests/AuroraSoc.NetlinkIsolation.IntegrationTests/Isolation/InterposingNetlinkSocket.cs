using System.Buffers.Binary;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Isolation;

/// <summary>
/// A real netfilter netlink socket with a seam in front of Send: records every datagram and lets a test act — commit
/// something with nft, say — just before a chosen datagram reaches the kernel, so a race with another process can be
/// played in a fixed order.
/// </summary>
internal sealed class InterposingNetlinkSocket(NetlinkSocket inner, Func<byte[], bool> isTarget, Action beforeTarget) : INetlinkSocket
{
    private const ushort BatchBegin = 0x10; // NFNL_MSG_BATCH_BEGIN
    private bool _interposed;

    /// <summary>Every datagram sent, in order.</summary>
    public List<byte[]> Sent { get; } = [];

    public uint PortId => inner.PortId;

    /// <summary>True for a datagram that starts with NFNL_MSG_BATCH_BEGIN.</summary>
    public static bool IsBatch(byte[] datagram) => datagram.Length >= 16 && BinaryPrimitives.ReadUInt16LittleEndian(datagram.AsSpan(4)) == BatchBegin;

    /// <summary>The nlmsg_type of every message in a datagram (low byte: NFT_MSG_*).</summary>
    public static List<(ushort Type, ushort Flags)> MessagesOf(byte[] datagram)
    {
        var messages = new List<(ushort, ushort)>();
        for (int offset = 0; offset + 16 <= datagram.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(offset));
            messages.Add((BinaryPrimitives.ReadUInt16LittleEndian(datagram.AsSpan(offset + 4)), BinaryPrimitives.ReadUInt16LittleEndian(datagram.AsSpan(offset + 6))));
            offset += (length + 3) & ~3;
        }

        return messages;
    }

    public int Send(ReadOnlySpan<byte> datagram)
    {
        byte[] bytes = datagram.ToArray();
        Sent.Add(bytes);
        if (!_interposed && isTarget(bytes))
        {
            _interposed = true;
            beforeTarget();
        }

        return inner.Send(datagram);
    }

    public int Receive(Span<byte> buffer, int timeoutMilliseconds) => inner.Receive(buffer, timeoutMilliseconds);

    public int EnsureBufferSize(int bytes) => inner.EnsureBufferSize(bytes);

    public void Dispose() => inner.Dispose();
}
