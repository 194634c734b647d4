using AuroraSoc.NetlinkIsolation.Interop;

namespace AuroraSoc.NetlinkIsolation.Tests.Interop;

public class ErrnoTests
{
    [Theory]
    [InlineData(Errno.EPERM, "EPERM")]
    [InlineData(Errno.ENOENT, "ENOENT")]
    [InlineData(Errno.EMSGSIZE, "EMSGSIZE")]
    [InlineData(Errno.ENOBUFS, "ENOBUFS")]
    [InlineData(Errno.ERESTART, "ERESTART")]
    public void Name_KnownErrno_ReturnsSymbol(int errno, string expected) => Assert.Equal(expected, Errno.Name(errno));

    [Theory]
    [InlineData(Errno.EWOULDBLOCK, "EAGAIN")]
    [InlineData(Errno.ENOTSUP, "EOPNOTSUPP")]
    public void Name_Alias_ReturnsPrimarySymbol(int errno, string expected) => Assert.Equal(expected, Errno.Name(errno));

    [Theory]
    [InlineData(123, "errno 123")]
    [InlineData(0, "errno 0")]
    [InlineData(-1, "errno -1")]
    public void Name_UndeclaredValue_ReturnsNumber(int errno, string expected) => Assert.Equal(expected, Errno.Name(errno));

    [Fact]
    public void Name_EveryErrnoConstant_ReturnsItsOwnOrItsAliasName()
    {
        foreach (var field in typeof(Errno).GetFields().Where(field => field.IsLiteral))
        {
            int value = (int)field.GetRawConstantValue()!;
            Assert.Equal(value, (int)typeof(Errno).GetField(Errno.Name(value))!.GetRawConstantValue()!);
        }
    }

    [Fact]
    public void Describe_Eperm_ReturnsLibcText() => Assert.Equal("Operation not permitted", Errno.Describe(Errno.EPERM));

    [Fact]
    public void Describe_UnknownValue_ReturnsUnknownErrorText() => Assert.Equal("Unknown error 4242", Errno.Describe(4242));

    [Fact]
    public void Describe_ManyThreadsAtOnce_EachGetsItsOwnText()
    {
        string[] results = new string[64];
        Parallel.For(0, results.Length, index => results[index] = Errno.Describe(index % 2 == 0 ? Errno.ENOENT : Errno.EEXIST));

        for (int index = 0; index < results.Length; index++)
        {
            Assert.Equal(index % 2 == 0 ? "No such file or directory" : "File exists", results[index]);
        }
    }
}
