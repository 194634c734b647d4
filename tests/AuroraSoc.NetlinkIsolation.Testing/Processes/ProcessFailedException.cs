using System.Globalization;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.Testing.Processes;

/// <summary>Thrown by <see cref="ProcessResult.EnsureSuccess"/>.</summary>
public sealed class ProcessFailedException : Exception
{
    public ProcessFailedException()
    {
    }

    public ProcessFailedException(string message)
        : base(message)
    {
    }

    public ProcessFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProcessFailedException(ProcessResult result)
        : base(Describe(result))
    {
        Result = result;
    }

    public ProcessResult? Result { get; }

    private static string Describe(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var stderr = result.StandardError.Trim();
        var stdout = result.StandardOutput.Trim();
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"`{result.CommandLine}` exited with {result.ExitCode}");
        builder.Append(stderr.Length > 0 ? $"; stderr: {stderr}" : "; stderr empty");
        if (stdout.Length > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"; stdout: {Truncate(stdout, 2000)}");
        }

        return builder.ToString();
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
}
