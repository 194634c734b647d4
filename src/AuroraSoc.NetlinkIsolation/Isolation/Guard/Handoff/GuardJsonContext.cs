using System.Text.Json.Serialization;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>Source-generated serialisation of the hand-over protocol (no reflection: the library is AOT-compiled).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(GuardRequest))]
[JsonSerializable(typeof(GuardResponse))]
internal sealed partial class GuardJsonContext : JsonSerializerContext;
