using System.Diagnostics;
using System.Globalization;
using AuroraSoc.NetlinkIsolation.Testing.Processes;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

/// <summary>
/// Runs a suite script or a publish. Unlike <see cref="ProcessRunner"/>, a child that overruns its time gets SIGTERM
/// first, so that its trap can remove what it created (containers, cgroups, temporary directories, a VM), and is
/// killed only if it has not exited a grace period later; the result then has exit code -1 and says so on stderr.
/// </summary>
internal static class GracefulProcess
{
    private static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(60);

    /// <summary>After the child exited, how long its output may stay open (a daemon it left behind could hold it).</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(30);

    public static ProcessResult Run(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var commandLine = ProcessRunner.FormatCommandLine(fileName, arguments);
        using var process = new Process { StartInfo = ProcessRunner.CreateStartInfo(fileName, arguments) };
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        var exitCode = -1;
        var overrun = string.Empty;
        if (process.WaitForExit(timeout))
        {
            exitCode = process.ExitCode;
        }
        else
        {
            Terminate(process);
            overrun = string.Create(
                CultureInfo.InvariantCulture,
                $"\n`{commandLine}` did not finish within {timeout.TotalMinutes:0.#} minutes and was terminated");
        }

        Task.WaitAll([stdout, stderr], OutputGrace);
        return new ProcessResult(exitCode, Completed(stdout), Completed(stderr) + overrun)
        {
            CommandLine = commandLine,
            Elapsed = stopwatch.Elapsed,
        };
    }

    private static void Terminate(Process process)
    {
        try
        {
            _ = LibC.kill(process.Id, LibC.SIGTERM);
            if (!process.WaitForExit(TerminationGrace))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    private static string Completed(Task<string> output) => output.IsCompletedSuccessfully ? output.Result : string.Empty;
}
