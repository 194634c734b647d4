using System.Diagnostics;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Testing;

public sealed class ProcessRunnerTests
{
    [Fact]
    public void Run_ArgumentsWithSpacesAndQuotes_ArePassedVerbatimWithoutShell()
    {
        var result = ProcessRunner.Run("printf", "%s|", "a b", "\"c\"", "$HOME", "*").EnsureSuccess();

        Assert.Equal("a b|\"c\"|$HOME|*|", result.StandardOutput);
    }

    [Fact]
    public void Run_WithStandardInput_FeedsItAndCapturesOutputExactly()
    {
        const string text = "table inet t {\n\tchain c {\n\t}\n}\n";

        var result = ProcessRunner.Run("cat", [], text).EnsureSuccess();

        Assert.Equal(text, result.StandardOutput);
        Assert.Equal(string.Empty, result.StandardError);
    }

    [Fact]
    public void Run_NonZeroExit_ReturnsExitCodeAndStderr()
    {
        var result = ProcessRunner.Run("sh", "-c", "echo oops >&2; exit 3");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("oops\n", result.StandardError);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void EnsureSuccess_NonZeroExit_ThrowsWithCommandLineAndStderr()
    {
        var result = ProcessRunner.Run("sh", "-c", "echo 'bad things' >&2; exit 4");

        var thrown = Assert.Throws<ProcessFailedException>(() => result.EnsureSuccess());

        Assert.Contains("sh -c 'echo '\\''bad things'\\'' >&2; exit 4'", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("exited with 4", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("bad things", thrown.Message, StringComparison.Ordinal);
        Assert.Same(result, thrown.Result);
    }

    [Fact]
    public void Run_MissingProgram_ThrowsNamingIt()
    {
        var thrown = Assert.Throws<ProcessFailedException>(() => ProcessRunner.Run("aurorasoc-no-such-program-xyz"));

        Assert.Contains("aurorasoc-no-such-program-xyz", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ExceedingTimeout_KillsProcessTreeAndThrows()
    {
        // A child of the shell with a marker argument, so the test can look for survivors.
        var marker = $"31.{Environment.ProcessId}{Random.Shared.Next(1000, 9999)}";
        var stopwatch = Stopwatch.StartNew();

        var thrown = Assert.Throws<TimeoutException>(
            () => ProcessRunner.Run("sh", ["-c", $"sleep {marker}; echo never"], timeout: TimeSpan.FromMilliseconds(300)));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.Contains("sleep", thrown.Message, StringComparison.Ordinal);
        Assert.True(
            SpinWait.SpinUntil(() => !AnyProcessWithArgument(marker), TimeSpan.FromSeconds(5)),
            $"a 'sleep {marker}' survived the timeout");
    }

    [Fact]
    public void StartBackground_Dispose_KillsTheProcess()
    {
        int pid;
        using (var background = ProcessRunner.StartBackground("sleep", "60"))
        {
            pid = background.Id;
            Assert.False(background.HasExited);
        }

        Assert.True(SpinWait.SpinUntil(() => !Directory.Exists($"/proc/{pid}") || IsZombie(pid), TimeSpan.FromSeconds(5)));
    }

    private static bool AnyProcessWithArgument(string argument)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (cmdline.Split('\0').Contains(argument, StringComparer.Ordinal))
                {
                    return true;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return false;
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true;
        }
    }
}
