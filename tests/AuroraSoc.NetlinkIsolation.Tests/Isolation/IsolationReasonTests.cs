using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation;

public class IsolationReasonTests
{
    public static TheoryData<string, string> InvalidReasons() => new()
    {
        { "empty", string.Empty },
        { "quote", "ticket \"42\"" },
        { "backslash", @"C:\incident" },
        { "newline", "line one\nline two" },
        { "tab", "a\tb" },
        { "escape", "\u001b[31mred" },
        { "delete", "a\u007fb" },
        { "C1 control", "a\u0085b" },
        { "bidi override", "a\u202Eb" },
        { "zero-width space", "a\u200Bb" },
        { "line separator", "a\u2028b" },
        { "private use", "a\uE000b" },
        { "unassigned", "a\u0378b" },
        { "129 ASCII bytes", new string('a', 129) },
        { "127 bytes and a 2-byte letter", new string('a', 127) + "ä" },
    };

    [Theory]
    [MemberData(nameof(InvalidReasons))]
    public void Validate_Invalid_ThrowsNamingReason(string name, string reason)
    {
        var exception = Assert.Throws<PolicyValidationException>(() => IsolationReason.Validate(reason));

        Assert.Equal("reason", exception.Field);
        Assert.False(string.IsNullOrEmpty(exception.Reason), name);
    }

    [Theory]
    [InlineData("INC-4711 isolated by soc@example.com")]
    [InlineData("Vorfall 17: Verdacht auf Ransomware (Müller) — ticket #9 ✓")]
    [InlineData("emoji allowed 🔒")]
    [InlineData(" spaces at both ends ")]
    public void Validate_Printable_Accepted(string reason)
    {
        IsolationReason.Validate(reason);
        Assert.Equal(reason, new IsolationPolicy([Endpoint.Parse("192.0.2.10")], reason: reason).Reason);
    }

    [Fact]
    public void Validate_LoneSurrogate_ThrowsNotUtf8()
    {
        // Not theory data: xunit's serialisation of theory arguments replaces a lone surrogate with U+FFFD.
        string reason = "a" + (char)0xD800 + "b";

        var exception = Assert.Throws<PolicyValidationException>(() => IsolationReason.Validate(reason));

        Assert.Contains("UTF-8", exception.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Exactly128Bytes_Accepted()
    {
        IsolationReason.Validate(new string('a', 126) + "ä");
        IsolationReason.Validate(new string('x', IsolationReason.MaxBytes));
    }

    [Fact]
    public void Constructor_InvalidReason_ThrowsBeforeAnythingElse()
    {
        var exception = Assert.Throws<PolicyValidationException>(() => new IsolationPolicy([Endpoint.Parse("192.0.2.10")], reason: "a\"b"));

        Assert.Equal("reason", exception.Field);
    }
}
