using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

/// <summary>The outcome of one finished child process.</summary>
internal sealed record ScriptOutcome(string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>The last <paramref name="lines"/> lines of stderr, for failure messages.</summary>
    public string StandardErrorTail(int lines)
    {
        var all = StandardError.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}

/// <summary>
/// Runs a suite script. A script that overruns its time gets SIGTERM first, so that its trap can remove what it
/// created (containers, temporary directories, a VM), and is killed only if it has not exited a grace period later.
/// </summary>
internal static class ScriptProcess
{
    private static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(60);
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static ScriptOutcome Run(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["LC_ALL"] = "C";
        var commandLine = string.Join(' ', [fileName, .. arguments]);

        using var process = new Process { StartInfo = startInfo };
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        if (!process.WaitForExit(timeout))
        {
            Terminate(process);
            var overrun = string.Create(
                CultureInfo.InvariantCulture,
                $"\n`{commandLine}` did not finish within {timeout.TotalMinutes:0.#} minutes and was terminated");
            return new ScriptOutcome(commandLine, -1, Completed(stdout), Completed(stderr) + overrun, stopwatch.Elapsed);
        }

        process.WaitForExit();
        return new ScriptOutcome(commandLine, process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult(), stopwatch.Elapsed);
    }

    private static void Terminate(Process process)
    {
        try
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            if (process.WaitForExit(TerminationGrace))
            {
                return;
            }

            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    private static string Completed(Task<string> output) =>
        output.Wait(TimeSpan.FromSeconds(5)) ? output.Result : string.Empty;
}
