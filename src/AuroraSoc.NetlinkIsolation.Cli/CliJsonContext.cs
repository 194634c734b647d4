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
}
