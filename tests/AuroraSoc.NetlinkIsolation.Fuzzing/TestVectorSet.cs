using AuroraSoc.NetlinkIsolation.Testing.Vectors;

namespace AuroraSoc.NetlinkIsolation.Fuzzing;

/// <summary>
/// The captures in tests/TestVectors (README there): one hex line per netlink message, <c>#</c> lines are comments.
/// <c>NAME.reply.hex</c> holds what the kernel sent, <c>NAME.request.hex</c> what nft sent.
/// </summary>
internal sealed class TestVectorSet(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>The file names (without .hex) of every capture, in order: "list-table.reply", "contract-example.request", ….</summary>
    public IEnumerable<string> Names(string suffix)
        => System.IO.Directory.EnumerateFiles(Directory, "*" + suffix + ".hex")
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Order(StringComparer.Ordinal);

    /// <summary>The messages of one capture, each as its own buffer.</summary>
    public IReadOnlyList<byte[]> Messages(string name) => HexVectorFile.ReadMessages(Path.Combine(Directory, name + ".hex"));

    /// <summary>The messages of one capture as one datagram, each padded to NLMSG_ALIGNTO as the kernel sends them.</summary>
    public byte[] Datagram(string name) => HexVectorFile.Datagram(Messages(name));

    /// <summary>tests/TestVectors of the checkout that contains <paramref name="start"/>.</summary>
    public static TestVectorSet Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AuroraSoc.NetlinkIsolation.sln")))
            {
                return new TestVectorSet(Path.Combine(dir.FullName, "tests", "TestVectors"));
            }
        }

        throw new DirectoryNotFoundException($"no AuroraSoc.NetlinkIsolation.sln above {start}: pass the checkout's tests/TestVectors explicitly.");
    }
}
