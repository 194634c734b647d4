using System.Globalization;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Process;

namespace AuroraSoc.NetlinkIsolation.Tests.Interop;

/// <summary>The posix_spawn child with piped stdin and stdout that probes as an agent cgroup, run with /bin/sh and /bin/cat.</summary>
public class ChildProcessTests
{
    private const string Shell = "/bin/sh";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void ReadOutputToEnd_ShellEchoesItsInputLine_RoundTrip()
    {
        using ChildProcess child = Start(Shell, "-c", "read line; echo \"got $line\"");

        Assert.Equal(0, child.WriteInput("go\n"u8));
        child.CloseInput();

        Assert.Equal(0, child.ReadOutputToEnd(Patience, out string output));
        Assert.Equal("got go\n", output);
        Assert.Equal(0, child.WaitForExit());
    }

    [Fact]
    public void ReadOutputToEnd_InputClosedAtOnce_EmptyAtEof()
    {
        using ChildProcess child = Start("/bin/cat");

        child.CloseInput();

        Assert.Equal(0, child.ReadOutputToEnd(Patience, out string output));
        Assert.Equal(string.Empty, output);
        Assert.Equal(0, child.WaitForExit());
    }

    [Fact]
    public void WaitForExit_ChildExitsWithCode_ThatCode()
    {
        using ChildProcess child = Start(Shell, "-c", "exit 3");

        Assert.Equal(3, child.WaitForExit());
    }

    [Fact]
    public void ReadOutputToEnd_ChildNeverAnswers_EtimedoutAndDisposeKillsAndReaps()
    {
        int processId;
        using (ChildProcess child = Start(Shell, "-c", "exec sleep 60"))
        {
            processId = child.ProcessId;

            Assert.Equal(Errno.ETIMEDOUT, child.ReadOutputToEnd(TimeSpan.FromMilliseconds(100), out string output));
            Assert.Equal(string.Empty, output);
            Assert.True(Directory.Exists($"/proc/{processId}"), "the child runs until disposed");
        }

        // Killed and reaped: no process and no zombie is left under that pid.
        Assert.False(Directory.Exists($"/proc/{processId}"), $"pid {processId} is still there after Dispose");
    }

    [Fact]
    public void TryStart_NonexistentExecutable_EnoentAndNoChild()
    {
        int error = ChildProcess.TryStart("/nonexistent/aurorasoc-probe", [], out ChildProcess? child);

        Assert.Equal(Errno.ENOENT, error);
        Assert.Null(child);
        Assert.Equal("No such file or directory", Errno.Describe(error));
    }

    [Fact]
    public void TryStart_VariableSetThroughDotNet_ChildSeesIt()
    {
        const string name = "AURORASOC_CHILD_PROCESS_TEST";
        string value = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        Environment.SetEnvironmentVariable(name, value);
        try
        {
            using ChildProcess child = Start(Shell, "-c", $"echo \"${name}\"");
            child.CloseInput();

            Assert.Equal(0, child.ReadOutputToEnd(Patience, out string output));
            Assert.Equal(value + "\n", output);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void TryStart_ParentPipeEnds_NotInheritedByTheChild()
    {
        // Only 0, 1 and 2 (and what the test host opened without O_CLOEXEC) reach the child: had the parent's write
        // end of stdin leaked into it, a child reading stdin would never see EOF and this would time out.
        using ChildProcess child = Start(Shell, "-c", "cat >/dev/null; echo eof");
        child.CloseInput();

        Assert.Equal(0, child.ReadOutputToEnd(Patience, out string output));
        Assert.Equal("eof\n", output);
    }

    private static ChildProcess Start(string path, params string[] arguments)
    {
        int error = ChildProcess.TryStart(path, arguments, out ChildProcess? child);
        Assert.True(error == 0, $"posix_spawn of {path}: {Errno.Describe(error)}");
        return child!;
    }
}
