using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Process;

namespace AuroraSoc.NetlinkIsolation.Tests.Interop;

/// <summary>getpwnam_r/getgrnam_r through the struct layouts declared here: root is 0 on every Linux host.</summary>
public sealed class UserDatabaseTests
{
    [Fact]
    public void TryGetUserId_Root_IsZero()
    {
        Assert.Equal(0, UserDatabase.TryGetUserId("root", out uint uid));
        Assert.Equal(0U, uid);
    }

    [Fact]
    public void TryGetUserId_Nobody_IsNotRootsNumber()
    {
        Assert.Equal(0, UserDatabase.TryGetUserId("nobody", out uint uid));
        Assert.Equal(65534U, uid);
    }

    [Fact]
    public void TryGetGroupId_Root_IsZero()
    {
        Assert.Equal(0, UserDatabase.TryGetGroupId("root", out uint gid));
        Assert.Equal(0U, gid);
    }

    [Fact]
    public void TryGetUserId_Unknown_IsEnoent()
        => Assert.Equal(Errno.ENOENT, UserDatabase.TryGetUserId("aurorasoc-no-such-user", out _));

    [Fact]
    public void TryGetGroupId_Unknown_IsEnoent()
        => Assert.Equal(Errno.ENOENT, UserDatabase.TryGetGroupId("aurorasoc-no-such-group", out _));
}
