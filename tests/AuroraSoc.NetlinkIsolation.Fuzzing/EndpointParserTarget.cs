using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Fuzzing;

/// <summary>
/// <see cref="Endpoint.TryParse"/> and <see cref="Endpoint.Parse"/> on operator text. Contract: TryParse never
/// throws and gives either an endpoint or an error text; Parse agrees with it and refuses only with
/// <see cref="FormatException"/>; an accepted endpoint prints as text that parses back to the same endpoint (what
/// status and the JSON output show is what the operator can type again).
/// </summary>
internal static class EndpointParserTarget
{
    /// <summary>The forms of cli.md.</summary>
    public static readonly string[] Seeds =
    [
        "192.0.2.10", "192.0.2.0/24", "192.0.2.10:443", "2001:db8::10", "2001:db8::/64", "[2001:db8::10]:443", "[2001:db8::/64]:443",
    ];

    public static void Check(string text)
    {
        if (Endpoint.TryParse(text, out Endpoint? endpoint, out string? error))
        {
            if (endpoint is null || error is not null)
            {
                throw new FuzzContractException($"TryParse(\"{text}\") returned true with endpoint {endpoint?.ToString() ?? "null"} and error {error ?? "null"}");
            }

            string printed = endpoint.ToString();
            if (!Endpoint.TryParse(printed, out Endpoint? again, out string? againError) || again != endpoint)
            {
                throw new FuzzContractException($"\"{text}\" parsed as {printed}, which parses back as {again?.ToString() ?? againError}");
            }

            if (Endpoint.Parse(text) != endpoint)
            {
                throw new FuzzContractException($"Parse(\"{text}\") differs from TryParse's {printed}");
            }

            return;
        }

        if (endpoint is not null || string.IsNullOrEmpty(error))
        {
            throw new FuzzContractException($"TryParse(\"{text}\") returned false with endpoint {endpoint?.ToString() ?? "null"} and error {error ?? "null"}");
        }

        try
        {
            _ = Endpoint.Parse(text);
        }
        catch (FormatException)
        {
            return;
        }

        throw new FuzzContractException($"Parse(\"{text}\") accepted what TryParse refused ({error})");
    }
}
