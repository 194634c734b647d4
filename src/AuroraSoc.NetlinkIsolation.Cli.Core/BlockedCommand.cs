using System.Globalization;
using System.Text;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// <c>blocked</c>: what the isolation blocked so far, from the kernel's counters and ledgers (no nft, no text parsed) —
/// or, once the table is gone, the final report <c>unisolate</c> saved. 0 printed; 3 not isolated (and no final
/// report); 1 when the table records nothing (installed without --record-blocked) or reading failed.
/// </summary>
internal static class BlockedCommand
{
    private const int DefaultTop = 20;

    public static CliCommand Syntax { get; } = new(
        "blocked",
        "What the isolation blocked so far (needs isolate --record-blocked): exact packets and bytes per direction, and the blocked endpoints by packets, largest first. After unisolate: the final report it saved.",
        [CliOptions.Table, CliOptions.Netns, CliOptions.NetnsPid, CliOptions.StateDir, CliOptions.Top, CliOptions.Json],
        HelpExamples.Blocked,
        Run);

    private static int Run(ParsedCommandLine line, CommandEnvironment environment)
    {
        var output = new CommandOutput("blocked", line.Has(CliOptions.Json), environment.Out, environment.Error);
        int top = DefaultTop;
        return CommandRunner.Run<BlockedReport>(line, environment, output, () =>
        {
            top = ParseTop(line.Value(CliOptions.Top));
            return CommandTarget.From(line);
        }, (isolator, target, _) =>
        {
            BlockedTraffic? traffic = isolator.ReadBlockedTraffic(target.Table);
            if (traffic is null)
            {
                traffic = target.Store is null ? null : new DurableIsolator(isolator, target.Store).ReadFinalBlockedTraffic(target.Table);
                if (traffic is null)
                {
                    output.Complain($"not isolated: table inet {target.Table} does not exist in {target.NamespaceLabel}");
                    output.Emit(new BlockedReport { Command = output.Command, Ok = false, State = StateNames.For(IsolationState.NotIsolated), Table = target.Table, Netns = target.Netns });
                    return ExitCodes.NotIsolated;
                }
            }
            else if (!traffic.IsRecording)
            {
                string message = $"table inet {target.Table} records nothing: it was installed without --record-blocked; isolate again with --record-blocked";
                output.Complain(message);
                output.Emit(new BlockedReport
                {
                    Command = output.Command, Ok = false, State = StateNames.For(IsolationState.Isolated), Table = target.Table, Netns = target.Netns,
                    Error = new CliErrorReport { Kind = "not-recording", Message = message },
                });
                return ExitCodes.Failed;
            }

            if (!output.Json)
            {
                output.WriteVerbatim(Describe(traffic, top, target));
            }

            output.Emit(new BlockedReport
            {
                Command = output.Command, Ok = true, State = StateNames.For(traffic.IsFinal ? IsolationState.NotIsolated : IsolationState.Isolated),
                Table = target.Table, Netns = target.Netns, Traffic = traffic, Top = top,
            });
            return ExitCodes.Success;
        });
    }

    private static int ParseTop(string? text)
        => text is null ? DefaultTop
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int top) ? top
            : throw new InvalidArgumentException("--top", text, "must be a whole number, 0 for all");

    /// <summary>The report for people: totals per direction, then the endpoints, largest first.</summary>
    private static string Describe(BlockedTraffic traffic, int top, CommandTarget target)
    {
        var text = new StringBuilder();
        text.Append(traffic.IsFinal ? "final report (saved by unisolate)" : "blocked so far").Append(": table inet ").Append(traffic.Table)
            .Append(" in ").Append(target.NamespaceLabel).Append('\n');
        foreach ((string direction, ulong packets, ulong bytes) in traffic.Totals)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {direction,-8} {packets,12} packets {bytes,14} bytes\n");
        }

        int shown = top == 0 ? traffic.Entries.Count : Math.Min(top, traffic.Entries.Count);
        if (shown > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{"DIRECTION",-9} {"PROTOCOL",-9} {"ADDRESS",-39} {"PORT",5} {"PACKETS",12} {"BYTES",14}\n");
            for (int i = 0; i < shown; i++)
            {
                var e = traffic.Entries[i];
                string port = e.Port?.ToString(CultureInfo.InvariantCulture) ?? "-";
                text.Append(CultureInfo.InvariantCulture, $"{e.Direction,-9} {e.Protocol,-9} {e.Address,-39} {port,5} {e.Packets,12} {e.Bytes,14}\n");
            }
        }

        if (shown < traffic.Entries.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"({traffic.Entries.Count - shown} more endpoints; --top 0 lists all)\n");
        }

        if (traffic.Truncated)
        {
            text.Append(CultureInfo.InvariantCulture, $"truncated: a ledger holds its maximum of {BlockedTraffic.LedgerCapacity} endpoints; newer ones are in the totals only\n");
        }

        return text.ToString();
    }
}

/// <summary>blocked: the totals, the entries (at most --top), whether a ledger is full, and whether this is the final report.</summary>
internal sealed class BlockedReport : CliReport
{
    public BlockedTraffic? Traffic { get; init; }

    public int Top { get; init; }

    protected override void WriteKeys(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (Traffic is null)
        {
            json.WriteNull("totals");
            json.WriteStartArray("entries");
            json.WriteEndArray();
            json.WriteBoolean("truncated", false);
            json.WriteBoolean("final", false);
            return;
        }

        Traffic.WriteJsonKeys(json, Top);
    }
}
