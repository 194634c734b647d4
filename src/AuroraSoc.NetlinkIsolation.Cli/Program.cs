using AuroraSoc.NetlinkIsolation.Cli;

return IsolateCli.Run(args);
