using AuroraSoc.NetlinkIsolation.Isolation;
namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>
/// An isolation as the operator asked for it, recorded in the state directory so that <c>restore</c> and the guard
/// can put it back (guard.md, "Intent"). The policy holds addresses only: every host name was resolved before the
/// intent was recorded, and <see cref="ResolvedNames"/> says which name became which addresses, so re-applying
/// needs no DNS.
/// </summary>
public sealed record IsolationIntent(
    string Target,
    string Table,
    IsolationPolicy Policy,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ResolvedNames,
    string? Reason,
    DateTimeOffset IsolatedAt,
    IsolationActor IsolatedBy)
{
    /// <summary>
    /// The target of the host: the network namespace of PID 1, and nothing else. A command run in another namespace
    /// without a namespace path is recorded as that namespace (docs/guard.md, "Targets").
    /// </summary>
    public const string HostTarget = "host";

    /// <summary>
    /// <see cref="HostTarget"/>, an absolute namespace path (<c>/run/netns/NAME</c>, <c>/proc/PID/ns/net</c>), or a
    /// namespace's identity <c>net:[INODE]</c> (a namespace no name refers to, found again by its inode this boot).
    /// </summary>
    public string Target { get; init; } = ValidateTarget(Target);

    /// <summary>The isolation table's name; always the policy's table.</summary>
    public string Table { get; init; } = Table == Policy?.TableName
        ? Table
        : throw new ArgumentException($"the intent's table '{Table}' differs from its policy's table '{Policy?.TableName}'", nameof(Table));

    /// <summary>The policy to apply, exactly as it was given to isolate.</summary>
    public IsolationPolicy Policy { get; init; } = Policy ?? throw new ArgumentNullException(nameof(Policy));

    /// <summary>Host name → addresses as resolved when isolating, so a restore needs no DNS.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ResolvedNames { get; init; } = ResolvedNames ?? throw new ArgumentNullException(nameof(ResolvedNames));

    /// <summary>Who recorded the intent.</summary>
    public IsolationActor IsolatedBy { get; init; } = IsolatedBy ?? throw new ArgumentNullException(nameof(IsolatedBy));

    /// <summary>
    /// For a <c>/proc/PID/ns/net</c> or <c>net:[INODE]</c> target, the boot and namespace the target meant when this
    /// was recorded (restore refuses any other); null for other targets.
    /// </summary>
    internal NamespaceIdentity? Namespace { get; init; }

    /// <summary>The namespace file this intent names; null for <see cref="HostTarget"/> and identity targets.</summary>
    public string? NamespacePath => Target == HostTarget || NamespaceTarget.IsIdentity(Target, out _) ? null : Target;

    /// <summary>
    /// An intent for <paramref name="policy"/> in the namespace at <paramref name="namespacePath"/> (null: the caller's
    /// own), recorded now by the calling process. The reason is the policy's (the table's comment); a
    /// <paramref name="reason"/> given here replaces it, so the intent and the table it re-applies always agree.
    /// </summary>
    public static IsolationIntent Create(
        string? namespacePath,
        IsolationPolicy policy,
        string? reason = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? resolvedNames = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        string target = TargetOf(namespacePath);
        IsolationPolicy given = policy;
        if (reason is not null && reason != policy.Reason)
        {
            policy = new IsolationPolicy(
                policy.Collectors, policy.AllowedPeers, policy.Dns, policy.DnsResolvers, policy.AllowDhcp, policy.Mode, policy.BlockForwarding, policy.RejectTcp, policy.TableName, reason,
                policy.AgentIdentities)
            { RecordBlocked = policy.RecordBlocked };
        }

        policy = policy.WithPeerSetsOf(given);
        return new IsolationIntent(
            target,
            policy.TableName,
            policy,
            resolvedNames ?? new Dictionary<string, IReadOnlyList<string>>(),
            policy.Reason,
            DateTimeOffset.UtcNow,
            IsolationActor.Current)
        {
            Namespace = NamespaceTarget.IsIdentity(target, out ulong inode)
                ? NamespaceIdentity.OfInode(inode)
                : NamespaceIdentity.AppliesTo(target) ? NamespaceIdentity.Of(target) : null,
        };
    }

    /// <summary>
    /// The target naming a namespace: for null, the calling thread's own namespace — <see cref="HostTarget"/> only when
    /// it is PID 1's, else its <c>/run/netns</c> name or its <c>net:[INODE]</c> identity; else the absolute path (a
    /// relative path would mean something else to a later <c>restore</c> started elsewhere).
    /// </summary>
    internal static string TargetOf(string? namespacePath)
        => namespacePath is null ? NamespaceTarget.OfCallingThread() : Path.GetFullPath(namespacePath);

    /// <summary>This intent for <paramref name="target"/> (a namespace the guard found for its caller), with that target's identity.</summary>
    internal IsolationIntent ForTarget(string target)
        => target == Target ? this : this with
        {
            Target = target,
            Namespace = NamespaceTarget.IsIdentity(target, out ulong inode) ? NamespaceIdentity.OfInode(inode) : null,
        };

    private static string ValidateTarget(string target)
    {
        if (target != HostTarget && !NamespaceTarget.IsIdentity(target, out _) && (string.IsNullOrEmpty(target) || !Path.IsPathFullyQualified(target) || target.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"target '{target}' must be \"{HostTarget}\", an absolute namespace path or net:[INODE]", nameof(target));
        }

        return target;
    }
}
