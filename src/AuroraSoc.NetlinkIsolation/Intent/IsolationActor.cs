using System.Globalization;
using AuroraSoc.NetlinkIsolation.Interop.Process;

namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>Who recorded an isolation: the process's effective user and its process id.</summary>
public sealed record IsolationActor(int Uid, string UserName, int ProcessId)
{
    /// <summary>The calling process.</summary>
    public static IsolationActor Current
    {
        get
        {
            int uid = ProcessCredentials.EffectiveUserId;
            return new(uid, UserNameOf(uid), Environment.ProcessId);
        }
    }

    // A minimal host or container (the product's target) may have no /etc/passwd at all, and Environment.UserName
    // then throws IOException from getpwuid_r. Recording who isolated must never stop the isolation: fall back to the
    // number, as id(1) prints a uid without a passwd entry.
    private static string UserNameOf(int uid)
    {
        try
        {
            return Environment.UserName;
        }
        catch (IOException)
        {
            return uid.ToString(CultureInfo.InvariantCulture);
        }
    }
}
