namespace Folios.Btrfs;

/// <summary>The image is not a btrfs image this reader can read, or is damaged; the message names the block and what is wrong.</summary>
public sealed class CorruptImageException(string message) : Exception(message);
