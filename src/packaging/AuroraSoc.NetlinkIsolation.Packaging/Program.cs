using AuroraSoc.NetlinkIsolation.Cli.Core;

// Usage: AuroraSoc.NetlinkIsolation.Packaging OUTPUT_DIRECTORY UPSTREAM_VERSION
// Writes OUTPUT_DIRECTORY/aurorasoc-isolate.8 and OUTPUT_DIRECTORY/aurorasoc-isolate.bash-completion.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: AuroraSoc.NetlinkIsolation.Packaging OUTPUT_DIRECTORY UPSTREAM_VERSION");
    return 2;
}

Directory.CreateDirectory(args[0]);
string program = CommandOutput.ProgramName;
File.WriteAllText(Path.Combine(args[0], program + ".8"), ManPageWriter.Write(args[1]));
File.WriteAllText(Path.Combine(args[0], program + ".bash-completion"), BashCompletionWriter.Write());
return 0;
