using System.Buffers.Binary;
using Folios;

// Mappings are Linux-only (memfd); this program says so, and the platform analyzer (CA1416) checks the rest.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Each method below breaks one rule on purpose; `dotnet build Samples/Misuse` shows the warnings.
// Run it to see what the runtime does with the same mistakes.
using var allocator = new PageAllocator();
allocator.NoFailOrderWarning += (_, warning) => Console.WriteLine($"runtime: {warning}");
Show(() => Misuse.NoFailAboveOrderOne(allocator));
Show(() => Misuse.RawCrossPageAccess(allocator));
Show(() => Misuse.MappingNeverUnmapped(allocator));
Show(() => Misuse.UnmappedTwice(allocator));
Show(() => Misuse.ContradictoryFlags(allocator));
Show(() => Misuse.CostlyOrderWithoutFallback(allocator));
Show(() => Misuse.ResultIgnored(allocator));
Show(() => Misuse.HardCodedPageGeometry(allocator));
Show(() => Misuse.FolioAbovePolicy(allocator));
Show(Misuse.FirstSegmentOnly);
Show(Misuse.UsedAfterReturn);
Show(() => Misuse.NotReturnedOnEveryPath(0));
Show(Misuse.RentedArrayTakenWhole);
Show(Misuse.BufferUsedAfterAdvance);
Show(Misuse.ReadNotAdvanced);
Show(Misuse.WriterSpanPastHint);

// The runtime's own checks stop some of these mistakes with an exception; show it and go on to the next one.
static void Show(Action misuse)
{
    try
    {
        misuse();
    }
    catch (InvalidOperationException e)
    {
        Console.WriteLine($"runtime: {e.Message}");
    }
}

static class Misuse
{
    // FOLIO001: a 16 KiB node as one NoFail folio. Order 2 is above the order-1 NoFail guarantee.
    public static void NoFailAboveOrderOne(PageAllocator allocator)
    {
        using var node = ExtentBuffer.Allocate(allocator, 16384, AllocationPolicy.SingleFolio, AllocFlags.NoFail);
        Console.WriteLine($"FOLIO001: got a {node.Layout} buffer this time; under fragmentation this throws.");
    }

    // FOLIO002: a key read with a buffer-level offset from the first page only.
    public static void RawCrossPageAccess(PageAllocator allocator)
    {
        using var node = ExtentBuffer.Allocate(allocator, 16384);
        int offset = 4094;
        node.WriteUInt32LittleEndian(offset, 0xCAFEBABE);
        try
        {
            uint key = BinaryPrimitives.ReadUInt32LittleEndian(node.GetFolio(0).Span.Slice(offset));
            Console.WriteLine($"FOLIO002: raw read gave 0x{key:X8}");
        }
        catch (ArgumentOutOfRangeException)
        {
            Console.WriteLine($"FOLIO002: the raw read straddles a page and fails; the helper gives 0x{node.ReadUInt32LittleEndian(offset):X8}.");
        }
    }

    // FOLIO003: the view is unmapped on the happy path only.
    public static void MappingNeverUnmapped(PageAllocator allocator)
    {
        using var node = ExtentBuffer.Allocate(allocator, 16384);
        var view = node.Map();
        if (view.Span[0] == 0)
            return;
        view.Unmap();
    }

    // FOLIO004: the view is unmapped when done, then once more "to be safe". The second unmap throws.
    public static void UnmappedTwice(PageAllocator allocator)
    {
        using var node = ExtentBuffer.Allocate(allocator, 16384);
        var snapshot = node.Map();
        snapshot.Span.Clear();
        snapshot.Unmap();
        snapshot.Unmap(); // to be safe
        Console.WriteLine("FOLIO004: unmapped exactly once.");
    }

    // FOLIO005: NoFail that may also give up. The allocator rejects it on every call.
    public static void ContradictoryFlags(PageAllocator allocator)
    {
        try
        {
            var page = allocator.Allocate(0, AllocFlags.NoFail | AllocFlags.NoWait);
            Console.WriteLine($"FOLIO005: got {page}");
            allocator.Free(page);
        }
        catch (ArgumentException e)
        {
            Console.WriteLine($"FOLIO005: {e.Message}");
        }
    }

    // FOLIO008: the second page's header at a hard-coded 4 KiB; with 16 KiB or 64 KiB pages it lands inside page 0.
    public static void HardCodedPageGeometry(PageAllocator allocator)
    {
        using var node = ExtentBuffer.Allocate(allocator, 4 * allocator.PageSize);
        int page = 1;
        int header = page * 4096;
        node.WriteUInt64LittleEndian(header, 0xFEED);
        Console.WriteLine($"FOLIO008: page {page}'s header is at offset {header}.");
    }

    // FOLIO009: this project accepts folios up to order 2 (.editorconfig); a 64 KiB folio attempt is over it.
    public static void FolioAbovePolicy(PageAllocator allocator)
    {
        using var index = ExtentBuffer.Allocate(allocator, 65536, AllocationPolicy.FolioOrPages);
        Console.WriteLine($"FOLIO009: got a {index.Layout} buffer.");
    }

    // FOLIO006: a 64 KiB index as one order-4 folio with no fallback. Above order 3 the allocator gives up quickly.
    public static void CostlyOrderWithoutFallback(PageAllocator allocator)
    {
        var index = allocator.Allocate(4, AllocFlags.Zero);
        index.Span[0] = 1;
        Console.WriteLine($"FOLIO006: got {index.Span.Length} bytes this time; under fragmentation this throws.");
        allocator.Free(index);
    }

    // FOLIO007: TryAllocate's result ignored. Under pressure the folio stays default and its first use throws.
    public static void ResultIgnored(PageAllocator allocator)
    {
        allocator.TryAllocate(2, AllocFlags.NoWarn, out var node);
        Console.WriteLine($"FOLIO007: got {node.Length} bytes this time; a failure would have left a default folio.");
        allocator.Free(node);
    }

    // FOLIO010: a frame's length read from the first segment only. Tests feed one segment; the network splits it.
    public static void FirstSegmentOnly()
    {
        var frame = TwoSegments([5, 0], [0, 0, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o']);
        try
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(frame.FirstSpan);
            Console.WriteLine($"FOLIO010: frame of {length} bytes.");
        }
        catch (ArgumentOutOfRangeException)
        {
            Console.WriteLine($"FOLIO010: the first segment holds {frame.FirstSpan.Length} of the {frame.Length} bytes; reading the length from it throws.");
        }
    }

    // FOLIO011: the request's buffer goes back to the pool, then is read once more for the log. By then the next
    // renter may be writing it, and the log shows its data.
    public static void UsedAfterReturn()
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64);
        int length = System.Text.Encoding.ASCII.GetBytes("GET /index.html", buffer);
        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        Console.WriteLine($"FOLIO011: sent {System.Text.Encoding.ASCII.GetString(buffer, 0, length)}");
    }

    // FOLIO012: the early exit for an empty payload forgets to return the rented buffer; the pool allocates anew.
    public static void NotReturnedOnEveryPath(int size)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(size + 16);
        if (size == 0)
        {
            Console.WriteLine("FOLIO012: nothing to send.");
            return;
        }
        buffer[0] = (byte)size;
        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
    }

    // FOLIO013: a 100-byte entry sent whole from a rented array. Rent(100) gives 128 bytes: the last 28 are stale.
    public static void RentedArrayTakenWhole()
    {
        var entry = System.Buffers.ArrayPool<byte>.Shared.Rent(100);
        System.Array.Fill(entry, (byte)'e', 0, 100);
        using var sent = new System.IO.MemoryStream();
        sent.Write(entry);
        Console.WriteLine($"FOLIO013: sent {sent.Length} bytes for a 100-byte entry.");
        System.Buffers.ArrayPool<byte>.Shared.Return(entry);
    }

    // FOLIO014: the frame's length is checked after the read was advanced; by then the pipe may reuse its blocks.
    public static void BufferUsedAfterAdvance()
    {
        var pipe = new System.IO.Pipelines.Pipe();
        System.Buffers.BuffersExtensions.Write(pipe.Writer, "hello"u8);
        _ = pipe.Writer.FlushAsync().AsTask().Result;
        if (!pipe.Reader.TryRead(out var result))
            return;
        var frame = result.Buffer;
        pipe.Reader.AdvanceTo(frame.End);
        Console.WriteLine($"FOLIO014: the frame held {frame.Length} bytes.");
    }

    // FOLIO015: an empty read is never advanced, so the next read throws.
    public static void ReadNotAdvanced()
    {
        var pipe = new System.IO.Pipelines.Pipe();
        pipe.Writer.Complete();
        if (!pipe.Reader.TryRead(out var read))
            return;
        if (!read.Buffer.IsEmpty)
            pipe.Reader.AdvanceTo(read.Buffer.End);
        Console.WriteLine($"FOLIO015: read again: {pipe.Reader.TryRead(out _)}");
    }

    // FOLIO016: GetSpan() promises one byte and the length prefix writes four. An ArrayBufferWriter has room to spare;
    // a PipeWriter near the end of a block does not.
    public static void WriterSpanPastHint()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        var span = output.GetSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, 5);
        output.Advance(4);
        Console.WriteLine($"FOLIO016: wrote {output.WrittenCount} bytes.");
    }

    private static System.Buffers.ReadOnlySequence<byte> TwoSegments(byte[] first, byte[] second)
    {
        var tail = new Segment(second, first.Length, next: null);
        var head = new Segment(first, 0, tail);
        return new System.Buffers.ReadOnlySequence<byte>(head, 0, tail, second.Length);
    }

    private sealed class Segment : System.Buffers.ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex, Segment? next)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
            Next = next;
        }
    }
}
