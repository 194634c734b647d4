namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>What cutting a strict-mode namespace's open connections did.</summary>
/// <param name="Examined">Established TCP connections found, both families.</param>
/// <param name="Destroyed">Connections closed with SOCK_DESTROY because the policy does not allow their remote end.</param>
/// <param name="Warning">Why connections that should have been cut were not (a kernel without CONFIG_INET_DIAG_DESTROY or
/// without inet_diag); null when nothing stood in the way. The isolation itself is in force either way.</param>
public sealed record SessionCutResult(int Examined, int Destroyed, string? Warning)
{
    /// <summary>Nothing examined, nothing cut: keep mode, where open flows are meant to survive.</summary>
    public static SessionCutResult None { get; } = new(0, 0, null);
}
