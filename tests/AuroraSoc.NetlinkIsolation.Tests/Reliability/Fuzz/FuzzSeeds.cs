using AuroraSoc.NetlinkIsolation.Testing.Vectors;

namespace AuroraSoc.NetlinkIsolation.Tests.Reliability.Fuzz;

/// <summary>The replies captured from the kernel (tests/TestVectors/*.reply.hex) and the requests nft sent, as seeds.</summary>
public static class FuzzSeeds
{
    /// <summary>Every message of every vector, and every vector file as one datagram.</summary>
    public static List<byte[]> Load(string vectorDirectory)
    {
        var seeds = new List<byte[]>();
        foreach (string path in Directory.EnumerateFiles(vectorDirectory, "*.hex").Order(StringComparer.Ordinal))
        {
            IReadOnlyList<byte[]> messages = HexVectorFile.ReadMessages(path);
            seeds.AddRange(messages);
            seeds.Add(HexVectorFile.Datagram(messages));
        }

        return seeds;
    }
}
