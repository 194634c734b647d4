using System.ComponentModel;
using System.Diagnostics;

using AuroraSoc.NetlinkIsolation.IntegrationTests.Infrastructure;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Interop;

/// <summary>Runs a system tool (ip, stat, mkfifo) to set up or inspect what a test needs.</summary>
internal static class ExternalCommand
{
    /// <summary>Runs <paramref name="fileName"/>; skips (or fails when required) if the tool is not installed.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string fileName, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        }
        catch (Win32Exception exception)
        {
            Requirements.Unavailable($"{fileName} is not available: {exception.Message}");
            throw;
        }

        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, await output, await errors);
        }
    }
}
