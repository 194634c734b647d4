using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>Source-generated serializers for the <c>--json</c> reports: no reflection, NativeAOT-safe.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(CliReport))]
[JsonSerializable(typeof(IsolateReport))]
[JsonSerializable(typeof(UnisolateReport))]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Like <see cref="JsonSerializerContext"/>'s default but without HTML-safe escaping: the output goes to a
    /// terminal or a script, never into a web page, and <c>'</c> reads better than <c>\u0027</c> in messages.
    /// </summary>
    public static CliJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
