using AuroraSoc.NetlinkIsolation.Interop;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>Who recorded an isolation: the process's effective user and its process id.</summary>
public sealed record IsolationActor(int Uid, string UserName, int ProcessId)
{
    /// <summary>The calling process.</summary>
    public static IsolationActor Current => new(ProcessCredentials.EffectiveUserId, Environment.UserName, Environment.ProcessId);
}
