using AuroraSoc.NetlinkIsolation.Testing.Decoding;

namespace AuroraSoc.NetlinkIsolation.Fuzzing;

/// <summary>
/// The reply decoder: every reader of kernel replies, run by <see cref="DecoderOracle"/> — the same oracle the decoder
/// fuzz tests use — on a received datagram. Malformed input may be refused only with a protocol violation; anything
/// else escapes to SharpFuzz as a crash.
/// </summary>
internal static class ReplyDecoderTarget
{
    public static void Run(ReadOnlySpan<byte> input) => DecoderOracle.Exercise(input);

    /// <summary>Every reply the kernel sent in the captures, whole, and each message of the table dump alone.</summary>
    public static IEnumerable<FuzzSeed> Seeds(TestVectorSet vectors)
    {
        foreach (string name in vectors.Names(".reply"))
        {
            yield return new FuzzSeed(name + ".bin", vectors.Datagram(name));
        }

        IReadOnlyList<byte[]> dump = vectors.Messages("list-table.reply");
        for (int i = 0; i < dump.Count; i++)
        {
            yield return new FuzzSeed($"list-table.reply.{i:00}.bin", dump[i]);
        }
    }
}
