namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary>
/// A caller who may not change nf_tables — an ordinary user, or root with every capability dropped (a
/// <c>--cap-drop ALL</c> container) — is told the real cause, CAP_NET_ADMIN, in one line of the domain's words, before
/// the state directory is created, locked or written; restore too, even with nothing recorded (a restore that could
/// restore nothing must not report success).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliUnprivilegedTests : IDisposable
{
    private static readonly string[] Nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"];

    private static readonly string[] RootWithoutCapabilities = ["setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--"];

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("aurorasoc-unprivileged-");

    public CliUnprivilegedTests()
    {
        // The unprivileged user must reach the state directory's parent, so that only the permission check stops it.
        File.SetUnixFileMode(_root.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute | UnixFileMode.OtherWrite);
    }

    public void Dispose() => _root.Delete(recursive: true);

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (string caller in (string[])["nobody", "root-without-capabilities"])
        {
            foreach (string command in (string[])["isolate", "unisolate", "status", "restore"])
            {
                cases.Add(caller, command);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Command_CallerWithoutCapNetAdmin_ExitOneNamingItNothingWritten(string caller, string command)
    {
        if (Requirements.FindOnPath("setpriv") is null)
        {
            Requirements.Unavailable("'setpriv' (util-linux) is not on PATH; it runs the CLI without privileges");
        }

        using var jail = ThrowawayNamespace.Create($"unprivileged: {caller} {command}");
        string stateDirectory = Path.Combine(_root.FullName, "state");
        string[] arguments = command == "isolate"
            ? ["isolate", "--collector", "192.0.2.10", "--state-dir", stateDirectory]
            : [command, "--state-dir", stateDirectory];
        string[] wrapper = caller == "nobody" ? Nobody : RootWithoutCapabilities;

        ProcessResult run = jail.Exec([.. wrapper, .. CliProcess.Launch, .. arguments]);

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}: {run.StandardOutput}{run.StandardError}");
        string line = Assert.Single(CliProcess.StandardErrorLines(run));
        Assert.Contains("CAP_NET_ADMIN", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Access to the path", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(stateDirectory), "the state directory was created");
        Assert.False(jail.NftTry("list table inet aurorasoc").Succeeded);
    }
}
