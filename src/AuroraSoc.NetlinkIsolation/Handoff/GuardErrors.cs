using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
namespace AuroraSoc.NetlinkIsolation.Handoff;

/// <summary>
/// Carries a failure across the hand-over socket and back into the same exception type with the same fields, so a
/// command reports a handed-over failure exactly as one of its own.
/// </summary>
internal static class GuardErrors
{
    public static GuardErrorReply ToReply(Exception exception) => exception switch
    {
        IsolationException isolation => new GuardErrorReply
        {
            Type = GuardErrorTypes.Isolation,
            Message = isolation.Message,
            Operation = isolation.Operation.ToString(),
            Kind = isolation.Kind.ToString(),
            Errno = isolation.Errno,
            StateAfter = isolation.StateAfter?.ToString(),
            KernelMessage = isolation.KernelMessage,
            FailingMessageType = isolation.FailingMessageType,
            FailingMessageIndex = isolation.FailingMessageIndex,
            FailingAttribute = isolation.FailingAttribute,
            RolledBack = isolation.RolledBack,
            CollectorChecks = isolation.CollectorChecks,
        },
        PolicyValidationException invalid => new GuardErrorReply { Type = GuardErrorTypes.InvalidPolicy, Message = invalid.Message, Field = invalid.Field, Value = invalid.Value, Reason = invalid.Reason },
        IntentStoreException store => new GuardErrorReply { Type = GuardErrorTypes.IntentStore, Message = store.Message, Path = store.Path },
        IntentCorruptException corrupt => new GuardErrorReply { Type = GuardErrorTypes.IntentStore, Message = corrupt.Message, Path = corrupt.FilePath },
        _ => new GuardErrorReply { Type = GuardErrorTypes.Internal, Message = $"the guard failed: {exception.Message}" },
    };

    /// <param name="error">The guard's account of the failure.</param>
    /// <param name="operation">What was handed over; names the failures of the hand-over itself.</param>
    public static Exception ToException(GuardErrorReply error, IsolationOperation operation)
    {
        ArgumentNullException.ThrowIfNull(error);
        switch (error.Type)
        {
            case GuardErrorTypes.Isolation:
                IsolationErrorKind kind = Enum.TryParse(error.Kind, out IsolationErrorKind parsed) ? parsed : IsolationErrorKind.Transport;
                IsolationOperation failed = Enum.TryParse(error.Operation, out IsolationOperation named) ? named : operation;
                IsolationState? state = Enum.TryParse(error.StateAfter, out IsolationState found) ? found : null;
                return kind == IsolationErrorKind.CollectorUnreachable
                    ? new IsolationException(error.CollectorChecks, error.RolledBack, state, error.Message, null)
                    : new IsolationException(failed, kind, error.Errno, error.KernelMessage, error.FailingMessageType, error.FailingMessageIndex, error.FailingAttribute, state, error.Message);
            case GuardErrorTypes.InvalidPolicy:
                return new PolicyValidationException(error.Field ?? "policy", error.Value, error.Reason ?? error.Message);
            case GuardErrorTypes.IntentStore:
                return new IntentStoreException(error.Path ?? string.Empty, error.Message);
            case GuardErrorTypes.Refused:
                return HandoffFailed(operation, IsolationErrorKind.PermissionDenied, error.Message);
            case GuardErrorTypes.Protocol:
                return HandoffFailed(operation, IsolationErrorKind.ProtocolViolation, error.Message);
            default:
                // The guard failed in a way it could only describe: whether the change was made is unknown.
                return HandoffFailed(operation, IsolationErrorKind.OutcomeUnknown, error.Message);
        }
    }

    /// <summary>
    /// The hand-over itself failed — refused, another protocol version, no answer — rather than the operation; for
    /// <see cref="IsolationErrorKind.OutcomeUnknown"/> the message says to check with status.
    /// </summary>
    public static IsolationException HandoffFailed(IsolationOperation operation, IsolationErrorKind kind, string message, Exception? cause = null)
        => new(operation, kind, 0, null, null, -1, null, null, message, cause);
}
