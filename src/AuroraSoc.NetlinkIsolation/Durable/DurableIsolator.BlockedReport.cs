using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Durable;

// The final report of a recording isolation: unisolate saves what it blocked beside the intent, so the evidence
// outlives the table (docs/ruleset.md, "Recording what isolation blocked").
public sealed partial class DurableIsolator
{
    private const string FinalReportExtension = ".blocked";

    /// <summary>
    /// The report <c>unisolate</c> saved for <paramref name="tableName"/> in this target, marked final; null when none was
    /// saved (or there is no state directory). A later isolate with recording replaces it when it is unisolated in turn.
    /// </summary>
    /// <exception cref="FormatException">The saved report is not readable as one.</exception>
    public BlockedTraffic? ReadFinalBlockedTraffic(string tableName = IsolationPolicy.DefaultTableName)
    {
        IsolationPolicy.ValidateTableName(tableName);
        if (Store is null)
        {
            return null;
        }

        string path = FinalReportPath(tableName);
        try
        {
            return BlockedTrafficJson.ReadFinal(File.ReadAllBytes(path));
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new FormatException($"final report {path} is not valid JSON: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// What the table blocked, read before it is deleted — only when its intent records blocked traffic, so an ordinary
    /// unisolate costs no extra reads.
    /// </summary>
    private BlockedTraffic? ReadReportBeforeUnisolate(string tableName)
    {
        try
        {
            return Store?.Read(Target, tableName)?.Policy.RecordBlocked == true ? _isolator.ReadBlockedTraffic(tableName) : null;
        }
        catch (IntentCorruptException)
        {
            return null; // the unisolate itself reports nothing about the intent either: it removes it
        }
    }

    /// <summary>Saves the report read before the table was deleted (temporary file, then rename); nothing when it recorded nothing.</summary>
    private void SaveFinalReport(string tableName, BlockedTraffic? final)
    {
        if (Store is null || final is not { IsRecording: true })
        {
            return;
        }

        string path = FinalReportPath(tableName);
        string temporary = path + ".tmp";
        Directory.CreateDirectory(Store.Directory);
        File.WriteAllBytes(temporary, BlockedTrafficJson.WriteFinal(final));
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Beside the intent file: its name with <c>.blocked</c> for <c>.json</c>, so the store never reads it as an intent.</summary>
    private string FinalReportPath(string tableName) => Path.ChangeExtension(Store!.PathFor(Target, tableName), FinalReportExtension);
}
