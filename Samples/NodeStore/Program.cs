using Folios;

// Mappings are Linux-only (memfd); this program says so, and the platform analyzer (CA1416) checks the rest.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// A small node store written the way the rules ask: 16 KiB nodes from order-0 pages (never fail), every field
// through the helpers (so keys that straddle pages are safe), and views unmapped by `using`.
const int NodeSize = 16384, HeaderSize = 8, KeySize = 12;

using var allocator = new PageAllocator(new PageAllocatorOptions { ArenaBytes = 4 << 20, ReservePages = 0 });

// Fragment the arena the way long-lived metadata does: every other page stays allocated.
var all = new Folio[allocator.Statistics.TotalPages];
allocator.AllocatePages(all, AllocFlags.None);
var pinned = all.Where((_, index) => index % 2 == 0).ToArray();
foreach (var page in all.Where((_, index) => index % 2 == 1))
    allocator.Free(page);
bool highOrder = allocator.TryAllocate(allocator.OrderForSize(NodeSize), AllocFlags.NoRetry | AllocFlags.NoWarn, out var folio);
Console.WriteLine($"fragmented arena: a 16 KiB folio is {(highOrder ? "available" : "not available")}, order-0 pages are");
if (highOrder)
    allocator.Free(folio);

var nodes = new List<ExtentBuffer>();
for (int id = 0; id < 8; id++)
{
    var node = ExtentBuffer.Allocate(allocator, NodeSize, AllocationPolicy.FolioOrPages);
    int count = (NodeSize - HeaderSize) / KeySize;
    node.WriteUInt32LittleEndian(0, (uint)id);
    node.WriteUInt32LittleEndian(4, (uint)count);
    for (int slot = 0; slot < count; slot++)
    {
        int offset = HeaderSize + slot * KeySize; // many of these straddle a page boundary
        node.WriteUInt64LittleEndian(offset, (ulong)id << 32 | (uint)slot);
        node.WriteUInt32LittleEndian(offset + 8, (uint)(slot * 7));
    }
    nodes.Add(node);
}

long checksum = 0, straddling = 0;
foreach (var node in nodes)
{
    int count = (int)node.ReadUInt32LittleEndian(4);
    for (int slot = 0; slot < count; slot++)
    {
        int offset = HeaderSize + slot * KeySize;
        // Pages are the allocator's size, not a literal 4096 (FOLIO008).
        if (offset / allocator.PageSize != (offset + KeySize - 1) / allocator.PageSize)
            straddling++;
        ulong key = node.ReadUInt64LittleEndian(offset);
        if ((uint)key != slot || node.ReadUInt32LittleEndian(offset + 8) != slot * 7)
            throw new InvalidOperationException($"node {node.ReadUInt32LittleEndian(0)} slot {slot} is corrupt");
        checksum += (long)key;
    }
}
Console.WriteLine($"{nodes.Count} nodes ({nodes[0].Layout}), {straddling} keys straddle a page, all intact, checksum {checksum}");

if (OperatingSystem.IsLinux())
{
    using var view = nodes[0].Map();
    Console.WriteLine($"mapped view of node 0: {view.PageCount} pages, first key 0x{BitConverter.ToUInt64(view.Span.Slice(HeaderSize, 8)):X}");
}

foreach (var node in nodes)
    node.Dispose();
foreach (var page in pinned)
    allocator.Free(page);
var stats = allocator.Statistics;
Console.WriteLine($"fallbacks {stats.Fallbacks}, free pages {stats.FreePages} of {stats.TotalPages}, live mappings {stats.LiveMappings}");
