using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// Where one command's results go (cli.md): human lines on stdout, or one JSON object on stdout with
/// <c>--json</c>; every failure also as exactly one line on stderr, cause first and then the fix.
/// </summary>
internal sealed class CommandOutput(string command, bool json, TextWriter stdout, TextWriter stderr)
{
    public const string ProgramName = "aurorasoc-isolate";

    public string Command { get; } = command;

    public bool Json { get; } = json;

    /// <summary>One line for people on stdout; nothing in JSON mode.</summary>
    public void Say(string line)
    {
        if (!Json)
        {
            stdout.WriteLine(line);
        }
    }

    /// <summary>Text on stdout exactly as given (show).</summary>
    public void WriteVerbatim(string text) => stdout.Write(text);

    /// <summary>One line on stderr, prefixed with the program name.</summary>
    public void Complain(string line) => stderr.WriteLine($"{ProgramName}: {line}");

    /// <summary>
    /// The JSON report, on one line, in JSON mode; nothing otherwise. Not HTML-safe escaped: the output goes to a
    /// terminal or a script, never into a web page, and <c>'</c> reads better than <c>\u0027</c> in messages.
    /// </summary>
    public void Emit(CliReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!Json)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            report.WriteTo(json);
        }

        stdout.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public CliErrorReport InvalidArgument(InvalidArgumentException exception)
    {
        Complain(exception.Message);
        return new CliErrorReport { Kind = StateNames.InvalidArgument, Message = exception.Message, Argument = exception.Argument };
    }

    public CliErrorReport Failure(IsolationException exception)
    {
        string line = FailureLine(exception);
        Complain(line);
        return new CliErrorReport
        {
            Kind = StateNames.For(exception.Kind),
            Errno = exception.Errno == 0 ? null : exception.Errno,
            ErrnoName = exception.Errno == 0 ? null : exception.ErrnoName,
            Message = line,
            KernelMessage = exception.KernelMessage,
            FailingMessageType = exception.FailingMessageType,
            FailingMessageIndex = exception.FailingMessageType is null || exception.FailingMessageIndex < 0 ? null : exception.FailingMessageIndex,
            FailingAttribute = exception.FailingAttribute,
        };
    }

    /// <summary>
    /// A failure outside the kernel, such as a state directory that could not be used. The message names the cause and
    /// the fix; <paramref name="kind"/> is its <see cref="StateNames"/> kind.
    /// </summary>
    public CliErrorReport Failure(Exception exception, string kind)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string line = exception.Message.ReplaceLineEndings(" ");
        Complain(line);
        return new CliErrorReport { Kind = kind, Message = line };
    }

    /// <summary>
    /// The exception's message already names the cause (and, for kernel rejections, errno, extended-ack text,
    /// message and attribute); the fix for its kind is appended unless the message carries it already.
    /// </summary>
    internal static string FailureLine(IsolationException exception)
    {
        string message = exception.Message.ReplaceLineEndings(" ");
        string? fix = exception.Advice;
        return fix is not null && !message.Contains(fix, StringComparison.Ordinal) ? $"{message}; {fix}" : message;
    }
}
