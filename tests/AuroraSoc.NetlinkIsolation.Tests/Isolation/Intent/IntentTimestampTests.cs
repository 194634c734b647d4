using System.Globalization;
using AuroraSoc.NetlinkIsolation.Intent;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation.Intent;

/// <summary>The intent file's time against .NET's own formatter and parser for the same format string.</summary>
public sealed class IntentTimestampTests
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    public static TheoryData<long> Ticks() =>
    [
        new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).Ticks,
        new DateTime(2026, 1, 2, 3, 4, 5, 123, DateTimeKind.Utc).Ticks,
        new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).Ticks + 1,
        new DateTime(2026, 12, 31, 23, 59, 59, DateTimeKind.Utc).Ticks + 9_999_999,
        new DateTime(2024, 2, 29, 0, 0, 0, DateTimeKind.Utc).Ticks + 1_000_000,
        new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks,
        new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc).Ticks + 9_999_990,
    ];

    [Theory]
    [MemberData(nameof(Ticks))]
    public void Format_AnyUtcTime_AsTheFormatStringWritesIt(long ticks)
    {
        var time = new DateTimeOffset(ticks, TimeSpan.Zero);

        Assert.Equal(time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture), IntentTimestamp.Format(time));
        Assert.True(IntentTimestamp.TryParse(IntentTimestamp.Format(time), out DateTimeOffset parsed));
        Assert.Equal(time, parsed);
    }

    [Fact]
    public void Format_OtherOffset_WrittenInUtc()
    {
        Assert.Equal("2026-01-02T01:04:05.5Z", IntentTimestamp.Format(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 500, TimeSpan.FromHours(2))));
    }

    [Theory]
    [InlineData("2026-01-02T03:04:05Z")]
    [InlineData("2026-01-02T03:04:05.1Z")]
    [InlineData("2026-01-02T03:04:05.1234567Z")]
    [InlineData("2026-01-02T03:04:05.1000000Z")]
    [InlineData("2024-02-29T00:00:00Z")]
    [InlineData("2026-02-29T00:00:00Z")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2026-00-01T00:00:00Z")]
    [InlineData("2026-01-32T00:00:00Z")]
    [InlineData("2026-01-02T24:00:00Z")]
    [InlineData("2026-01-02T03:60:00Z")]
    [InlineData("2026-01-02T03:04:60Z")]
    [InlineData("2026-01-02T03:04:05.Z")]
    [InlineData("2026-01-02T03:04:05.12345678Z")]
    [InlineData("2026-01-02T03:04:05")]
    [InlineData("2026-01-02T03:04:05+00:00")]
    [InlineData("2026-01-02 03:04:05Z")]
    [InlineData(" 2026-01-02T03:04:05Z")]
    [InlineData("2026-1-02T03:04:05Z")]
    [InlineData("2026-01-02T03:04:0xZ")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void TryParse_Text_AgreesWithTheFormatString(string text)
    {
        bool expected = DateTimeOffset.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset expectedTime);

        bool parsed = IntentTimestamp.TryParse(text, out DateTimeOffset time);

        Assert.Equal(expected, parsed);
        Assert.Equal(expectedTime, time);
    }
}
