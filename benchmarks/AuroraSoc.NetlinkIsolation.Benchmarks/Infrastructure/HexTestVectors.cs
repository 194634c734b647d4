using AuroraSoc.NetlinkIsolation.Testing;

namespace AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;

/// <summary>The test vectors the benchmarks encode against and decode.</summary>
internal static class HexTestVectors
{
    /// <summary>Loads a <c>.hex</c> test vector as one buffer: every message, concatenated in order (# lines are comments).</summary>
    public static byte[] Load(string name)
    {
        using var bytes = new MemoryStream();
        foreach (string line in File.ReadLines(RepositoryPaths.TestVector(name)))
        {
            string text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            bytes.Write(Convert.FromHexString(text));
        }

        return bytes.ToArray();
    }
}
