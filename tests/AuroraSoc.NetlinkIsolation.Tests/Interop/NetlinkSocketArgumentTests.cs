using AuroraSoc.NetlinkIsolation.Interop.Sockets;

namespace AuroraSoc.NetlinkIsolation.Tests.Interop;

/// <summary>Misuse is rejected before any system call is made.</summary>
public class NetlinkSocketArgumentTests
{
    [Fact]
    public void TryOpen_NegativeBufferSize_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NetlinkSocket.TryOpen(-1, out _));

    [Fact]
    public void TryOpenInNamespace_NullPath_Throws() =>
        Assert.Throws<ArgumentNullException>(() => NetlinkSocket.TryOpenInNamespace(null!, 0, out _));

    [Fact]
    public void TryOpenInNamespace_NegativeBufferSize_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NetlinkSocket.TryOpenInNamespace("/proc/self/ns/net", -1, out _));

    [Fact]
    public void ProbeNamespace_NullPath_Throws() =>
        Assert.Throws<ArgumentNullException>(() => NetlinkSocket.ProbeNamespace(null!));
}
