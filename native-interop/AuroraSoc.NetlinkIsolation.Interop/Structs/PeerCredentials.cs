using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop.Structs;

/// <summary>struct ucred (&lt;sys/socket.h&gt;): who is at the other end of a Unix socket, as the kernel recorded it at connect.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PeerCredentials
{
    public const int Size = 12;

    public int ProcessId;
    public uint UserId;
    public uint GroupId;
}
