using System.Diagnostics;

namespace AuroraSoc.NetlinkIsolation.Demo;

/// <summary>The result of a finished child process.</summary>
internal sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a program with an explicit argument list (never through a shell) and waits for it.</summary>
internal static class ExternalCommand
{
    public static CommandResult Run(string fileName, IEnumerable<string> arguments, string? standardInput = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{fileName} could not be started");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within 60 s");
        }

        return new CommandResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs and throws with stderr when the exit code is not 0.</summary>
    public static string RunChecked(string fileName, IEnumerable<string> arguments, string? standardInput = null)
    {
        string[] list = [.. arguments];
        CommandResult result = Run(fileName, list, standardInput);
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"`{fileName} {string.Join(' ', list)}` exited with {result.ExitCode}: {result.StandardError.Trim()}");
    }
}
