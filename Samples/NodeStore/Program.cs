using Folios;

// A fragmented arena: order-0 pages keep working while high orders fail, which is why metadata
// buffers should be built from order-0 pages rather than one high-order NoFail folio.
using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 4 << 20, ReservePages = 0 });
allocator.NoFailOrderWarning += (_, warning) => Console.WriteLine($"warning: {warning}");

var pages = new Folio[allocator.Statistics.TotalPages];
int filled = allocator.AllocatePages(pages, AllocFlags.None);
for (int i = 0; i < filled; i += 2)
    allocator.Free(pages[i]);
Console.WriteLine($"fragmented: {allocator.Statistics.FreePages} of {filled} pages free, largest free order {LargestFreeOrder(allocator)}");

Console.WriteLine($"order 0: {(allocator.TryAllocate(0, AllocFlags.None, out var page) ? "ok" : "failed")}");
Console.WriteLine($"order 2 (a 16 KiB node): {(allocator.TryAllocate(2, AllocFlags.NoFail, out _) ? "ok" : "failed, as the kernel warns")}");
allocator.Free(page);

static int LargestFreeOrder(PageAllocator allocator)
{
    var blocks = allocator.Statistics.FreeBlocksPerOrder;
    for (int order = blocks.Count - 1; order >= 0; order--)
    {
        if (blocks[order] > 0)
            return order;
    }
    return -1;
}
