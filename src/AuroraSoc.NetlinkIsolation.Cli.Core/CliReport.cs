using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// The <c>--json</c> object every command prints (cli.md): these keys are always present, <c>null</c> when they do
/// not apply, so scripts can read them without checking for absence. Each report writes its own keys after the
/// common ones, in a fixed order; a new key is one line in its report's <see cref="WriteKeys"/>.
/// </summary>
internal class CliReport
{
    public string Command { get; init; } = string.Empty;

    /// <summary>The command did its job; for status also when the state is not-isolated or degraded (see <c>state</c>).</summary>
    public bool Ok { get; init; }

    /// <summary><c>isolated</c>, <c>not-isolated</c>, <c>degraded</c>, or null when unknown (invalid input, no permission).</summary>
    public string? State { get; init; }

    public string? Table { get; init; }

    /// <summary>The namespace path acted on; null for the namespace the CLI ran in.</summary>
    public string? Netns { get; init; }

    public CliErrorReport? Error { get; init; }

    /// <summary>The whole object: the common keys, then the command's own.</summary>
    public void WriteTo(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("command", Command);
        json.WriteBoolean("ok", Ok);
        json.WriteString("state", State);
        json.WriteString("table", Table);
        json.WriteString("netns", Netns);
        json.WritePropertyName("error");
        if (Error is null)
        {
            json.WriteNullValue();
        }
        else
        {
            Error.WriteTo(json);
        }

        WriteKeys(json);
        json.WriteEndObject();
    }

    /// <summary>The keys only this command reports.</summary>
    protected virtual void WriteKeys(Utf8JsonWriter json)
    {
    }
}

/// <summary>isolate: what the transaction installed, what the names resolved to, what verification and cutting did.</summary>
internal sealed class IsolateReport : CliReport
{
    public int? Rules { get; init; }

    public int? Chains { get; init; }

    public int? BatchBytes { get; init; }

    public long? ElapsedMicroseconds { get; init; }

    /// <summary>Each host name and the addresses it resolved to; empty when none was given (or resolving failed).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Resolved { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The collector connection attempts; empty without --verify-collector.</summary>
    public IReadOnlyList<CollectorCheck> Verified { get; init; } = [];

    /// <summary>True when verification failed and the previous state was put back.</summary>
    public bool RolledBack { get; init; }

    /// <summary>Connections cut in strict mode; 0 in keep mode.</summary>
    public int SocketsDestroyed { get; init; }

    /// <summary>The agent identities as resolved (cli.md <c>agent</c>); empty without --agent-* options.</summary>
    public IReadOnlyList<AgentIdentity> Agent { get; init; } = [];
    /// <summary>Allowed peers after merging: set elements, or peer rules when rules are used.</summary>
    public int Peers { get; init; }

    /// <summary>Each named set of the allowlist and its element count; empty when peers are rules.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Sets { get; init; } = [];

    /// <summary>This report for a completed isolate.</summary>
    public IsolateReport Succeeded(IsolationResult result) => new()
    {
        Command = Command,
        Ok = true,
        State = StateNames.For(IsolationState.Isolated),
        Table = Table,
        Netns = Netns,
        Resolved = Resolved,
        Rules = result.RuleCount,
        Chains = result.ChainCount,
        BatchBytes = result.BatchBytes,
        ElapsedMicroseconds = result.ElapsedMicroseconds,
        Verified = result.Verified,
        SocketsDestroyed = result.SessionsCut.Destroyed,
        Agent = Agent,
        Peers = Peers,
        Sets = Sets,
    };

    /// <summary>This report for an isolate whose collector verification failed.</summary>
    public IsolateReport Failed(CliErrorReport error, IsolationException exception) => new()
    {
        Command = Command,
        Ok = false,
        State = StateNames.For(exception.StateAfter),
        Table = Table,
        Netns = Netns,
        Resolved = Resolved,
        Error = error,
        Verified = exception.CollectorChecks,
        RolledBack = exception.RolledBack,
        Agent = Agent,
        Peers = Peers,
        Sets = Sets,
    };

    protected override void WriteKeys(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteNumberOrNull("rules", Rules);
        json.WriteNumberOrNull("chains", Chains);
        json.WriteNumberOrNull("batchBytes", BatchBytes);
        json.WriteNumberOrNull("elapsedMicroseconds", ElapsedMicroseconds);
        json.WriteStartObject("resolved");
        foreach ((string name, IReadOnlyList<string> addresses) in Resolved)
        {
            json.WriteStartArray(name);
            foreach (string address in addresses)
            {
                json.WriteStringValue(address);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteStartArray("verified");
        foreach (CollectorCheck check in Verified)
        {
            json.WriteStartObject();
            json.WriteString("endpoint", check.Endpoint.ToString());
            json.WriteBoolean("ok", check.Ok);
            json.WriteNumber("milliseconds", check.Milliseconds);
            json.WriteString("error", check.Error);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteBoolean("rolledBack", RolledBack);
        json.WriteNumber("socketsDestroyed", SocketsDestroyed);
        AgentJson.Write(json, Agent, stale: null);
        json.WriteNumber("peers", Peers);
        json.WriteStartArray("sets");
        foreach ((string name, int elements) in Sets)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteNumber("elements", elements);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}

/// <summary>unisolate: whether a table was there to delete.</summary>
internal sealed class UnisolateReport : CliReport
{
    /// <summary>True when the table existed and was deleted; false when there was nothing to do; null on failure.</summary>
    public bool? Changed { get; init; }

    public long? ElapsedMicroseconds { get; init; }

    protected override void WriteKeys(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteBooleanOrNull("changed", Changed);
        json.WriteNumberOrNull("elapsedMicroseconds", ElapsedMicroseconds);
    }
}

/// <summary>status: the state and, when degraded, why.</summary>
internal sealed class StatusReport : CliReport
{
    public IReadOnlyList<string> Problems { get; init; } = [];

    public int? Rules { get; init; }

    public int? Chains { get; init; }

    /// <summary>The nf_tables ruleset generation the snapshot was read at.</summary>
    public uint? Generation { get; init; }

    /// <summary>The intent recorded for this table in the state directory; null when none (or <c>--ephemeral</c> records).</summary>
    public IsolationIntent? Intent { get; init; }

    /// <summary>True when the table carries NFT_TABLE_F_OWNER: a guard owns it (cli.md, status <c>guarded</c>).</summary>
    public bool Guarded { get; init; }

    /// <summary>The table's nft comment (<c>--reason</c>); null without a table or without a comment.</summary>
    public string? Reason { get; init; }

    /// <summary>The agent identities as installed (cli.md status <c>agent</c>).</summary>
    public IReadOnlyList<AgentIdentity> Agent { get; init; } = [];

    /// <summary>For each of <see cref="Agent"/>, whether it is stale.</summary>
    public IReadOnlyList<bool> AgentStale { get; init; } = [];

    protected override void WriteKeys(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartArray("problems");
        foreach (string problem in Problems)
        {
            json.WriteStringValue(problem);
        }

        json.WriteEndArray();
        json.WriteNumberOrNull("rules", Rules);
        json.WriteNumberOrNull("chains", Chains);
        json.WriteNumberOrNull("generation", Generation);
        json.WriteBoolean("guarded", Guarded);
        json.WriteString("reason", Reason);
        json.WritePropertyName("intent");
        if (Intent is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteStartObject();
            json.WriteString("target", Intent.Target);
            json.WriteString("table", Intent.Table);
            json.WriteString("reason", Intent.Reason);
            json.WriteString("isolatedAt", Intent.IsolatedAt);
            json.WriteStartObject("isolatedBy");
            json.WriteString("user", Intent.IsolatedBy.UserName);
            json.WriteNumber("uid", Intent.IsolatedBy.Uid);
            json.WriteNumber("pid", Intent.IsolatedBy.ProcessId);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        AgentJson.Write(json, Agent, AgentStale);
    }
}

/// <summary>restore: one entry per intent file, in the order restored.</summary>
internal sealed class RestoreReport : CliReport
{
    public IReadOnlyList<RestoreResult> Targets { get; init; } = [];

    protected override void WriteKeys(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartArray("targets");
        foreach (RestoreResult result in Targets)
        {
            json.WriteStartObject();
            json.WriteString("target", result.Target);
            json.WriteString("table", result.Table);
            json.WriteString("outcome", StateNames.For(result.Outcome));
            json.WriteString("file", result.FilePath);
            json.WriteString("error", result.Error);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}

/// <summary>show: the listing as nft prints it, and the table's chains and rules one by one.</summary>
internal sealed class ShowReport : CliReport
{
    /// <summary>Exactly what <c>show</c> prints without <c>--json</c>; null when there is no table.</summary>
    public string? Text { get; init; }

    /// <summary>The table as read; null when there is none.</summary>
    public NftTableSnapshot? Snapshot { get; init; }

    protected override void WriteKeys(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteString("text", Text);
        json.WriteString("reason", Snapshot?.Table.Comment);
        json.WriteStartArray("chains");
        foreach (NftChain chain in Snapshot?.Chains ?? [])
        {
            json.WriteStartObject();
            json.WriteString("name", chain.Name);
            json.WriteString("type", chain.Type);
            json.WriteString("hook", chain.Hook is { } hook ? NftSyntaxRenderer.HookName(hook.HookNumber) : null);
            json.WriteNumberOrNull("priority", chain.Hook?.Priority);
            json.WriteString("policy", chain.Policy switch { null => null, NfVerdict.Drop => "drop", _ => "accept" });
            json.WriteStartArray("rules");
            foreach (NftRule rule in Snapshot!.RulesOf(chain.Name))
            {
                json.WriteStartObject();
                json.WriteNumberOrNull("handle", (long?)rule.Handle);
                json.WriteString("text", NftSyntaxRenderer.RenderRule(rule));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
