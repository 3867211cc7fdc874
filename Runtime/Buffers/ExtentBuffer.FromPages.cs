namespace Folios;

public sealed partial class ExtentBuffer
{
    /// <summary>A buffer over order-0 pages handed over by their owner (a <see cref="PageBufferWriter"/>), which
    /// gives up every claim on them: the buffer frees them on Dispose.</summary>
    internal static ExtentBuffer FromPages(PageAllocator allocator, int length, Folio[] pages) =>
        new(allocator, length, pages, BufferLayout.Pages, null);
}
