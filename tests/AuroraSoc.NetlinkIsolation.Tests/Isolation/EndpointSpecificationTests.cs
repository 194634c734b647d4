using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation;

public class EndpointSpecificationTests
{
    [Theory]
    [InlineData("edr.example.com", "edr.example.com", null)]
    [InlineData("edr.example.com:6514", "edr.example.com", 6514)]
    [InlineData("EDR.Example.COM.", "EDR.Example.COM", null)]
    [InlineData("collector", "collector", null)]
    [InlineData("sensor_01.corp.example", "sensor_01.corp.example", null)]
    [InlineData("1x.example", "1x.example", null)]
    [InlineData("  edr.example.com:443  ", "edr.example.com", 443)]
    public void TryParse_HostName_NameAndPort(string text, string name, int? port)
    {
        Assert.True(EndpointSpecification.TryParse(text, out EndpointSpecification? specification, out string? error), error);

        Assert.True(specification!.IsHostName);
        Assert.Equal(name, specification.HostName);
        Assert.Equal(port, specification.Port);
        Assert.Null(specification.Endpoint);
    }

    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("192.0.2.0/24")]
    [InlineData("192.0.2.10:443")]
    [InlineData("2001:db8::10")]
    [InlineData("[2001:db8::10]:443")]
    [InlineData("[2001:db8::/64]:443")]
    public void TryParse_Address_SameAsEndpoint(string text)
    {
        Assert.True(EndpointSpecification.TryParse(text, out EndpointSpecification? specification, out string? error), error);

        Assert.False(specification!.IsHostName);
        Assert.Equal(Endpoint.Parse(text), specification.Endpoint);
        Assert.Equal(text, specification.ToString());
    }

    public static TheoryData<string, string> InvalidTexts() => new()
    {
        { "empty label", "edr..example.com" },
        { "leading dot", ".example.com" },
        { "only a dot", "." },
        { "space", "edr example.com" },
        { "star", "*.example.com" },
        { "non-ASCII", "bücher.example" },
        { "label starting with '-'", "-edr.example.com" },
        { "label ending with '-'", "edr-.example.com" },
        { "label of 64", new string('a', 64) + ".example" },
        { "254 characters", string.Join('.', Enumerable.Repeat(new string('a', 50), 5)) + ".abc" },
        { "all-digit last label", "host.123" },
        { "shorthand IPv4", "10.1" },
        { "port 0", "edr.example.com:0" },
        { "port 70000", "edr.example.com:70000" },
        { "empty port", "edr.example.com:" },
        { "port not a number", "edr.example.com:https" },
        { "prefix on a name", "edr.example.com/24" },
        { "empty", "" },
    };

    [Theory]
    [MemberData(nameof(InvalidTexts))]
    public void TryParse_Invalid_FalseWithError(string name, string text)
    {
        Assert.False(EndpointSpecification.TryParse(text, out EndpointSpecification? specification, out string? error), name);
        Assert.Null(specification);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TryParse_253Characters_Accepted()
    {
        string name = string.Join('.', Enumerable.Repeat(new string('a', 62), 4)) + ".b"; // 4×62 + 4 dots + 1
        Assert.Equal(253, name.Length);

        Assert.True(EndpointSpecification.TryParse(name, out _, out string? error), error);
    }
}
