using System.Diagnostics;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.Testing.Processes;

/// <summary>
/// Runs programs with an explicit argument list, never through a shell.
/// A child inherits the network namespace of the <em>calling thread</em>: call these from ordinary threads to act
/// on the machine's namespace (read-only checks only), or use <c>ThrowawayNamespace.Exec</c> or a
/// <c>NamespaceThread</c> to act inside a throwaway namespace.
/// </summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static ProcessResult Run(string fileName, params string[] arguments) => Run(fileName, (IEnumerable<string>)arguments);

    /// <summary>Runs <paramref name="fileName"/> and waits for it. On timeout the whole process tree is killed and
    /// a <see cref="TimeoutException"/> is thrown that names the command line and any output so far.</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        var args = arguments.ToArray();
        var commandLine = FormatCommandLine(fileName, args);
        var limit = timeout ?? DefaultTimeout;

        using var process = new Process { StartInfo = CreateStartInfo(fileName, args) };
        var stopwatch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ProcessFailedException($"`{commandLine}` could not be started: {ex.Message}", ex);
        }

        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdinTask = Task.Run(() => WriteStandardInput(process, standardInput));

        if (!process.WaitForExit(limit))
        {
            KillTree(process);
            var partialOut = TryGetCompleted(stdoutTask);
            var partialErr = TryGetCompleted(stderrTask);
            throw new TimeoutException(
                $"`{commandLine}` did not finish within {limit.TotalSeconds:0.###} s and was killed (process tree); " +
                $"stdout so far: {partialOut.Trim()}; stderr so far: {partialErr.Trim()}");
        }

        // The streams reach EOF once every holder of the pipes has exited; a daemonised grandchild could keep
        // them open forever, so this wait is bounded too.
        var remaining = limit - stopwatch.Elapsed;
        if (!Task.WaitAll([stdoutTask, stderrTask], remaining > TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1)))
        {
            throw new TimeoutException(
                $"`{commandLine}` exited with {process.ExitCode} but a process it left behind still holds its output open");
        }

        stopwatch.Stop();
        var stdout = stdoutTask.GetAwaiter().GetResult();
        var stderr = stderrTask.GetAwaiter().GetResult();
        stdinTask.GetAwaiter().GetResult();
        return new ProcessResult(process.ExitCode, stdout, stderr) { CommandLine = commandLine, Elapsed = stopwatch.Elapsed };
    }

    /// <summary>Starts a long-running program without waiting for it (for example a process that must be alive
    /// inside a namespace). Disposing the handle kills its process tree.</summary>
    public static BackgroundProcess StartBackground(string fileName, params string[] arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        var process = new Process { StartInfo = CreateStartInfo(fileName, arguments) };
        process.Start();
        return new BackgroundProcess(process, FormatCommandLine(fileName, arguments));
    }

    public static string FormatCommandLine(string fileName, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quote));
    }

    /// <summary>The start info every child gets: no shell, all three streams redirected as UTF-8, <c>LC_ALL=C</c>
    /// so that tool output does not depend on the machine's locale.</summary>
    public static ProcessStartInfo CreateStartInfo(string fileName, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8NoBom,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["LC_ALL"] = "C";
        return startInfo;
    }

    internal static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Raced with exit.
        }

        process.WaitForExit(5000);
    }

    private static void WriteStandardInput(Process process, string? standardInput)
    {
        try
        {
            if (standardInput is not null)
            {
                process.StandardInput.Write(standardInput);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child exited without reading all of its input; its exit code tells the story.
        }
    }

    private static string TryGetCompleted(Task<string> task) =>
        task.Wait(TimeSpan.FromSeconds(2)) ? task.Result : string.Empty;

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or '$' or '`')
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
