using AuroraSoc.NetlinkIsolation.Guard;
using AuroraSoc.NetlinkIsolation.Intent;
using Microsoft.Extensions.Options;

namespace AuroraSoc.NetlinkIsolation.Hosting;

/// <summary>
/// Refuses options that would make the guard fail later or guard nothing: checked when the host starts
/// (<c>ValidateOnStart</c>), before any kernel call, without reflection (no data annotations), so it is trim-safe.
/// </summary>
internal sealed class IsolationGuardOptionsValidator : IValidateOptions<IsolationGuardOptions>
{
    /// <summary>A re-read more often than this would be a busy loop; less often than daily is no backstop.</summary>
    internal static readonly TimeSpan MinimumVerifyInterval = TimeSpan.FromMilliseconds(100);
    internal static readonly TimeSpan MaximumVerifyInterval = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, IsolationGuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.StateDirectory) || !Path.IsPathFullyQualified(options.StateDirectory))
        {
            failures.Add($"IsolationGuardOptions.StateDirectory must be an absolute path (got '{options.StateDirectory}'); the default is {IntentStore.DefaultDirectory}.");
        }

        if (options.VerifyInterval < MinimumVerifyInterval || options.VerifyInterval > MaximumVerifyInterval)
        {
            failures.Add($"IsolationGuardOptions.VerifyInterval must be between {MinimumVerifyInterval.TotalMilliseconds} ms and {MaximumVerifyInterval.TotalHours} h (got {options.VerifyInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
