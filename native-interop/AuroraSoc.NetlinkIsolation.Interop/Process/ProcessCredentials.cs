using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Process;

/// <summary>Who the calling process acts as; .NET exposes the user name (Environment.UserName) but not the uid.</summary>
internal static class ProcessCredentials
{
    /// <summary>geteuid(2): the user id the kernel checks permissions against (and Environment.UserName names).</summary>
    public static int EffectiveUserId => (int)(uint)LibC.geteuid();
}
