using System.Globalization;
using System.Text;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Testing;
using AuroraSoc.NetlinkIsolation.Testing.Processes;

namespace AuroraSoc.NetlinkIsolation.Tests.Interop;

/// <summary>
/// Compiles and runs a C program that prints, for every <see cref="NativeHeaderEntry"/>, the value the installed
/// kernel and libc headers give, plus strerror(3) for every <see cref="Errno"/> constant.
/// </summary>
internal static class NativeHeaderProbe
{
    public const string StrerrorPrefix = "strerror ";

    private static readonly string[] Headers =
    [
        "errno.h", "sched.h", "sys/syscall.h", "stddef.h", "stdio.h", "string.h", "sys/socket.h", "sys/un.h", "netdb.h",
        "linux/netlink.h", "linux/netfilter.h", "linux/netfilter/nfnetlink.h", "linux/netfilter/nf_tables.h",
        "linux/netfilter/nf_conntrack_common.h", "linux/nsfs.h", "linux/netfilter/nfnetlink_log.h",
        "netinet/tcp.h", "linux/sock_diag.h", "linux/inet_diag.h", "spawn.h", "signal.h", "unistd.h",
    ];

    /// <summary>Key → printed value; strerror texts are under "strerror NAME".</summary>
    public static async Task<IReadOnlyDictionary<string, string>> RunAsync(CancellationToken cancellationToken)
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("aurorasoc-native-layout-");
        try
        {
            string source = Path.Combine(directory.FullName, "probe.c");
            string program = Path.Combine(directory.FullName, "probe");
            await File.WriteAllTextAsync(source, GenerateSource(), cancellationToken);

            if (Requirements.FindOnPath("cc") is null)
            {
                Requirements.Unavailable("no C compiler: cc is not on PATH; install gcc or clang");
            }

            ProcessResult compiled = ProcessRunner.Run("cc", ["-std=gnu11", "-Wall", "-o", program, source], timeout: TimeSpan.FromMinutes(2));
            Assert.True(compiled.Succeeded, $"cc failed to compile the header probe:\n{compiled.StandardError}");

            ProcessResult probed = ProcessRunner.Run(program);
            Assert.True(probed.Succeeded, $"the header probe exited with {probed.ExitCode}:\n{probed.StandardError}");
            string output = probed.StandardOutput;

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int separator = line.LastIndexOf(' ');
                string key = line.StartsWith(StrerrorPrefix, StringComparison.Ordinal)
                    ? line[..line.IndexOf(' ', StrerrorPrefix.Length)]
                    : line[..separator];
                values[key] = line[(key.Length + 1)..];
            }

            return values;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string GenerateSource()
    {
        var source = new StringBuilder();
        source.AppendLine("#define _GNU_SOURCE");
        foreach (string header in Headers)
        {
            source.AppendLine(CultureInfo.InvariantCulture, $"#include <{header}>");
        }

        source.AppendLine("int main(void)").AppendLine("{");
        foreach (NativeHeaderEntry entry in NativeHeaderTable.Entries)
        {
            source.AppendLine(CultureInfo.InvariantCulture, $"    printf(\"%s %lld\\n\", \"{entry.Key}\", (long long)({entry.CExpression}));");
        }

        foreach (string name in typeof(Errno).GetFields().Where(field => field.IsLiteral).Select(field => field.Name))
        {
            source.AppendLine(CultureInfo.InvariantCulture, $"    printf(\"{StrerrorPrefix}%s %s\\n\", \"{name}\", strerror({name}));");
        }

        source.AppendLine("    return 0;").AppendLine("}");
        return source.ToString();
    }
}
