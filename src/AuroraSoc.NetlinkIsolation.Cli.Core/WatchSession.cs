using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// What <c>watch</c> runs (<see cref="WatchCommand"/>): subscribes to the table's NFLOG group and prints each packet until
/// --count, --timeout, SIGINT or SIGTERM, then the summary. Referenced only by aurorasoc-isolate-guard's Program.cs
/// (and the tests), so its code stays out of aurorasoc-isolate's image (<see cref="WatchRunner"/>).
/// </summary>
internal static class WatchSession
{
    public static int Run(ParsedCommandLine line, CommandEnvironment environment)
    {
        var output = new CommandOutput("watch", line.Has(CliOptions.Json), environment.Out, environment.Error);
        long count = 0;
        double timeout = 0;
        return CommandRunner.Run<CliReport>(line, environment, output, () =>
        {
            count = Positive(CliOptions.Count, line.Value(CliOptions.Count));
            timeout = Positive(CliOptions.Timeout, line.Value(CliOptions.Timeout));
            return CommandTarget.From(line);
        }, (isolator, target, _) =>
        {
            using var stop = new CancellationTokenSource();
            if (timeout > 0)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(timeout));
            }

            using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            long printed = 0;
            (ulong Printed, ulong Suppressed, ulong Lost)? summary = isolator.WatchBlocked(target.Table, packet =>
            {
                environment.Out.WriteLine(output.Json ? Json(packet) : Text(packet));
                environment.Out.Flush();
                return count == 0 || ++printed < count;
            }, stop.Token);
            if (summary is not { } ended)
            {
                output.Complain($"not isolated: table inet {target.Table} does not exist in {target.NamespaceLabel}");
                output.Emit(new CliReport { Command = output.Command, Ok = false, State = StateNames.For(IsolationState.NotIsolated), Table = target.Table, Netns = target.Netns });
                return ExitCodes.NotIsolated;
            }

            if (output.Json)
            {
                environment.Out.WriteLine(Summary(ended));
            }
            else
            {
                environment.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{ended.Printed} printed, {ended.Suppressed} suppressed by the rate limit, {ended.Lost} lost"));
            }

            return ExitCodes.Success;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true; // end the watch and print the summary instead of dying
                stop.Cancel();
            }
        });
    }

    private static long Positive(CliOption option, string? text)
        => text is null ? 0
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0 && value <= int.MaxValue ? value
            : throw new InvalidArgumentException(option.Name, text, "must be a whole number more than 0");

    /// <summary>The line for people: time, direction, protocol, source → destination, then uid/gid/pid/exe when known.</summary>
    private static string Text(BlockedPacket packet)
    {
        var text = new StringBuilder();
        text.Append(packet.Time.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append(' ')
            .Append(CultureInfo.InvariantCulture, $"{packet.Direction,-7} {packet.Protocol,-5} ")
            .Append(Endpoint(packet.Source, packet.SourcePort)).Append(" -> ").Append(Endpoint(packet.Destination, packet.DestinationPort));
        if (packet.Uid is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" uid {packet.Uid} gid {packet.Gid}");
        }

        if (packet.Pid is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" pid {packet.Pid} {packet.Executable}");
        }

        return text.ToString();
    }

    private static string Endpoint(string address, int? port)
        => port is null ? address : address.Contains(':', StringComparison.Ordinal) ? $"[{address}]:{port.Value.ToString(CultureInfo.InvariantCulture)}" : $"{address}:{port.Value.ToString(CultureInfo.InvariantCulture)}";

    private static string Json(BlockedPacket packet) => WriteJson(json =>
    {
        json.WriteStartObject();
        json.WriteString("time", packet.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("direction", packet.Direction);
        json.WriteString("family", packet.Family);
        json.WriteString("protocol", packet.Protocol);
        json.WriteString("source", packet.Source);
        WriteNumber(json, "sourcePort", packet.SourcePort);
        json.WriteString("destination", packet.Destination);
        WriteNumber(json, "destinationPort", packet.DestinationPort);
        WriteNumber(json, "uid", packet.Uid);
        WriteNumber(json, "gid", packet.Gid);
        WriteNumber(json, "pid", packet.Pid);
        json.WriteString("exe", packet.Executable);
        json.WriteEndObject();
    });

    private static string Summary((ulong Printed, ulong Suppressed, ulong Lost) summary) => WriteJson(json =>
    {
        json.WriteStartObject();
        json.WriteStartObject("summary");
        json.WriteNumber("printed", summary.Printed);
        json.WriteNumber("suppressed", summary.Suppressed);
        json.WriteNumber("lost", summary.Lost);
        json.WriteEndObject();
        json.WriteEndObject();
    });

    private static void WriteNumber(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string WriteJson(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
