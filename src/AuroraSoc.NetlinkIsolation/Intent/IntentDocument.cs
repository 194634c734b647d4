using System.Net;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>
/// The JSON form of an intent file (format version <see cref="CurrentVersion"/>). Field names are part of the file
/// format: operators read these files, and a guard of another release may read them. The format grows by additive
/// changes only, and every version reads every older one: version 2 added the <c>net:[INODE]</c> target (a namespace
/// no name refers to, with its <c>namespace</c> identity); a version-1 file reads unchanged. Version 3 added optional
/// policy fields (the agent identities, <see cref="IntentAgentDocument"/>; the allowlist's peer ranges; <c>recordBlocked</c>,
/// written only when true, absent reads as false).
/// </summary>
internal sealed class IntentDocument
{
    public const int CurrentVersion = 3;

    public const int OldestVersion = 1;

    public required int Version { get; init; }

    public required string Target { get; init; }

    public required string Table { get; init; }

    public required IntentPolicyDocument Policy { get; init; }

    public required Dictionary<string, List<string>> ResolvedNames { get; init; }

    public string? Reason { get; init; }

    /// <summary>UTC, RFC 3339 (<c>2026-01-02T03:04:05.1234567Z</c>).</summary>
    public required string IsolatedAt { get; init; }

    public required IntentActorDocument IsolatedBy { get; init; }

    /// <summary>For <c>/proc/PID/ns/net</c> targets: the boot and namespace inode the pid meant; otherwise absent.</summary>
    public IntentNamespaceDocument? Namespace { get; init; }

    public static IntentDocument From(IsolationIntent intent) => new()
    {
        Version = CurrentVersion,
        Target = intent.Target,
        Table = intent.Table,
        Policy = IntentPolicyDocument.From(intent.Policy),
        ResolvedNames = ResolvedNamesOf(intent),
        Reason = intent.Reason,
        IsolatedAt = IntentTimestamp.Format(intent.IsolatedAt),
        IsolatedBy = new IntentActorDocument { Uid = intent.IsolatedBy.Uid, UserName = intent.IsolatedBy.UserName, Pid = intent.IsolatedBy.ProcessId },
        Namespace = intent.Namespace is { } identity ? new IntentNamespaceDocument { BootId = identity.BootId, Inode = identity.Inode } : null,
    };

    private static Dictionary<string, List<string>> ResolvedNamesOf(IsolationIntent intent)
    {
        var resolved = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach ((string name, IReadOnlyList<string> addresses) in intent.ResolvedNames)
        {
            // Not [.. addresses]: from an IReadOnlyList into a List that compiles to Enumerable.ToList.
            resolved.Add(name, new List<string>(addresses));
        }

        return resolved;
    }

    /// <summary>The intent this document describes; throws <see cref="FormatException"/> naming the first invalid field.</summary>
    public IsolationIntent ToIntent()
    {
        if (!IntentTimestamp.TryParse(IsolatedAt, out DateTimeOffset isolatedAt))
        {
            throw new FormatException($"isolatedAt '{IsolatedAt}' is not a UTC RFC 3339 time (yyyy-MM-ddTHH:mm:ssZ)");
        }

        IsolationPolicy policy;
        try
        {
            // The reason is the table's comment: a restore re-applies it with the rest of the policy.
            policy = Policy.ToPolicy(Reason);
            policy = Policy.WithRecordedPeers(policy);
        }
        catch (PolicyValidationException exception)
        {
            throw new FormatException($"policy: {exception.Message}", exception);
        }

        var resolved = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach ((string name, List<string> addresses) in ResolvedNames)
        {
            resolved[name] = addresses.AsReadOnly();
        }

        if (NamespaceTarget.IsIdentity(Target, out ulong inode) && (Namespace is null || Namespace.Inode != inode))
        {
            throw new FormatException($"namespace: a {Target} target needs the namespace's boot id and inode {inode}");
        }

        try
        {
            return new IsolationIntent(Target, Table, policy, resolved, Reason, isolatedAt, new IsolationActor(IsolatedBy.Uid, IsolatedBy.UserName, IsolatedBy.Pid))
            {
                Namespace = Namespace is { } identity ? new NamespaceIdentity(identity.BootId, identity.Inode) : null,
            };
        }
        catch (ArgumentException exception)
        {
            throw new FormatException(exception.Message, exception);
        }
    }
}

/// <summary>Every input of an <see cref="IsolationPolicy"/>, endpoints in the CLI's syntax.</summary>
internal sealed class IntentPolicyDocument
{
    public required List<string> Collectors { get; init; }

    public required List<string> AllowedPeers { get; init; }

    /// <summary><c>off</c>, <c>any</c> or <c>listed</c>.</summary>
    public required string Dns { get; init; }

    public required List<string> DnsServers { get; init; }

    public required bool AllowDhcp { get; init; }

    /// <summary><c>keep</c> or <c>strict</c>.</summary>
    public required string Mode { get; init; }

    public required bool BlockForwarding { get; init; }

    public required bool RejectTcp { get; init; }

    public required string Table { get; init; }

    /// <summary>Format 3: who alone may reach the collectors, as given and as resolved; null (absent) without identities.</summary>
    public List<IntentAgentDocument>? AgentIdentities { get; init; }
    /// <summary>Format 3: the allowlist's peers after merging, one range per entry in the allowlist syntax; null when peers are rules.</summary>
    public List<string>? PeerRanges { get; init; }

    /// <summary><paramref name="policy"/> with the recorded allowlist (format 3), so a restore needs no allowlist file.</summary>
    public IsolationPolicy WithRecordedPeers(IsolationPolicy policy) => PeerRanges is null ? policy : IntentPeerRanges.Apply(policy, PeerRanges);

    /// <summary>Version 3: the isolation records what it blocks (<c>--record-blocked</c>).</summary>
    public bool RecordBlocked { get; init; }

    public static IntentPolicyDocument From(IsolationPolicy policy) => new()
    {
        Collectors = TextsOf(policy.Collectors),
        AllowedPeers = TextsOf(policy.AllowedPeers),
        Dns = policy.Dns switch
        {
            DnsPolicy.AnyResolver => "any",
            DnsPolicy.ListedResolvers => "listed",
            _ => "off",
        },
        DnsServers = TextsOf(policy.DnsResolvers),
        AllowDhcp = policy.AllowDhcp,
        Mode = policy.Mode == IsolationMode.Strict ? "strict" : "keep",
        BlockForwarding = policy.BlockForwarding,
        RejectTcp = policy.RejectTcp,
        Table = policy.TableName,
        RecordBlocked = policy.RecordBlocked,
        AgentIdentities = IntentAgentDocument.ListFrom(policy.AgentIdentities),
        PeerRanges = IntentPeerRanges.TextsOf(policy),
    };

    public IsolationPolicy ToPolicy(string? reason)
    {
        DnsPolicy dns = Dns switch
        {
            "off" => DnsPolicy.Off,
            "any" => DnsPolicy.AnyResolver,
            "listed" => DnsPolicy.ListedResolvers,
            _ => throw new FormatException($"policy.dns '{Dns}' is not off, any or listed"),
        };
        IsolationMode mode = Mode switch
        {
            "keep" => IsolationMode.Keep,
            "strict" => IsolationMode.Strict,
            _ => throw new FormatException($"policy.mode '{Mode}' is not keep or strict"),
        };
        return new IsolationPolicy(
            ParseEndpoints(Collectors, "collectors"),
            ParseEndpoints(AllowedPeers, "allowedPeers"),
            dns,
            ParseResolvers(DnsServers),
            AllowDhcp,
            mode,
            BlockForwarding,
            RejectTcp,
            Table,
            reason,
            IntentAgentDocument.Resolve(AgentIdentities))
        { RecordBlocked = RecordBlocked };
    }

    private static List<Endpoint> ParseEndpoints(List<string> texts, string field)
    {
        var endpoints = new List<Endpoint>(texts.Count);
        foreach (string text in texts)
        {
            endpoints.Add(Endpoint.TryParse(text, out Endpoint? endpoint, out string? error)
                ? endpoint!
                : throw new FormatException($"policy.{field}: '{text}': {error}"));
        }

        return endpoints;
    }

    private static List<string> TextsOf<T>(IReadOnlyList<T> values)
        where T : notnull
    {
        var texts = new List<string>(values.Count);
        foreach (T value in values)
        {
            texts.Add(value.ToString()!);
        }

        return texts;
    }

    // Lazy, as the policy's constructor reads it: each resolver is parsed, then validated, in turn, after the
    // constructor has validated the fields before it.
    private static IEnumerable<IPAddress> ParseResolvers(List<string> texts)
    {
        foreach (string text in texts)
        {
            yield return ParseResolver(text);
        }
    }

    private static IPAddress ParseResolver(string text)
        => IPAddress.TryParse(text, out IPAddress? address) ? address : throw new FormatException($"policy.dnsServers: '{text}' is not an IP address");
}

internal sealed class IntentActorDocument
{
    public required int Uid { get; init; }

    public required string UserName { get; init; }

    public required int Pid { get; init; }
}

internal sealed class IntentNamespaceDocument
{
    public required string BootId { get; init; }

    public required ulong Inode { get; init; }
}
