using Folios.Btrfs;

// A read-only btrfs reader on Folios: every tree block in an ExtentBuffer, read only through its helpers.
return Commands.Run(args, Console.OpenStandardOutput(), Console.Error);
