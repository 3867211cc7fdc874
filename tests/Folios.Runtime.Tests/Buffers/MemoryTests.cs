using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Folios.Tests.Buffers;

/// <summary>
/// Memory&lt;byte&gt; of contiguous buffers and views, and the whole-buffer sequence: the same bytes as their spans, one
/// memory per owner, and once the owner is gone ObjectDisposedException from Span and Pin, never stale data.
/// </summary>
public class MemoryTests
{
    private static PageAllocator Create(bool folioFails = false) =>
        BufferFactory.Allocator(4096, pages: 32, faults: folioFails ? new FailPageAlloc { MinOrder = 1 } : null);

    public static TheoryData<bool> Mapped() => new() { false, true };

    [Theory]
    [MemberData(nameof(Mapped))]
    public async Task A_contiguous_buffer_s_memory_is_its_span_for_APIs_that_take_memory(bool mapped)
    {
        using var allocator = Create(folioFails: mapped);
        using var buffer = allocator.AllocateContiguous(10000);
        Assert.Equal(!mapped, buffer.IsFolio);
        var memory = buffer.Memory;
        Assert.Equal(10000, memory.Length);
        Assert.True(memory.Equals(buffer.Memory));
        Assert.True(MemoryMarshal.TryGetMemoryManager<byte, MemoryManager<byte>>(memory, out _));

        var source = new MemoryStream(Encoding.ASCII.GetBytes(new string('x', 5000) + "across the page"));
        Assert.Equal(5015, await source.ReadAtLeastAsync(memory, 5015));
        Assert.Equal("across the page", Encoding.ASCII.GetString(buffer.Span.Slice(5000, 15)));
        buffer.Span[9999] = 7;
        Assert.Equal(7, memory.Span[9999]);
        using (var pin = memory[4090..].Pin())
            unsafe { Assert.Equal((byte)'x', *(byte*)pin.Pointer); }
        Assert.Equal("ac", Encoding.ASCII.GetString(memory.Slice(5000, 2).Span));
    }

    [Theory]
    [MemberData(nameof(Mapped))]
    public void A_disposed_contiguous_buffer_s_memory_refuses_Span_and_Pin(bool mapped)
    {
        using var allocator = Create(folioFails: mapped);
        var buffer = allocator.AllocateContiguous(3 * 4096);
        var memory = buffer.Memory;
        var slice = memory[100..200];
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => memory.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => slice.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => memory.Pin());
        Assert.Throws<ObjectDisposedException>(() => buffer.Memory);
        Assert.Equal(3 * 4096, memory.Length); // the length stays readable, the bytes do not
    }

    [Fact]
    public void A_contiguous_buffer_s_memory_ends_with_its_allocator()
    {
        var allocator = Create();
        using var buffer = allocator.AllocateContiguous(4096);
        var memory = buffer.Memory;
        allocator.Dispose();
        Assert.Contains("allocator", Assert.Throws<ObjectDisposedException>(() => memory.Span.Length).Message);
        Assert.Throws<ObjectDisposedException>(() => memory.Pin());
    }

    [Fact]
    public void A_view_s_memory_aliases_its_pages_both_ways()
    {
        using var allocator = Create();
        var pages = new[] { allocator.Allocate(0), allocator.Allocate(0) };
        using var view = allocator.Map([pages[1], pages[0]]);
        var memory = view.Memory;
        Assert.Equal(8192, memory.Length);
        Assert.True(memory.Equals(view.Memory));
        memory.Span[4096] = 0x42;
        Assert.Equal(0x42, pages[0].Span[0]);
        pages[1].Span[4095] = 0x24;
        Assert.Equal(0x24, memory.Span[4095]);
        using (var pin = memory[4095..].Pin())
            unsafe { Assert.Equal(0x24, *(byte*)pin.Pointer); }
        Assert.True(MemoryMarshal.TryGetMemoryManager<byte, MemoryManager<byte>>(memory, out var manager));
        Assert.Equal("elementIndex", Assert.Throws<ArgumentOutOfRangeException>(() => manager!.Pin(8193)).ParamName);
    }

    [Fact]
    public void A_view_s_memory_refuses_Span_and_Pin_after_unmap_never_handing_out_a_stale_alias()
    {
        using var allocator = Create();
        var page = allocator.Allocate(0);
        var view = allocator.Map([page]);
        var memory = view.Memory;
        view.Unmap();
        Assert.Contains("unmapped", Assert.Throws<ObjectDisposedException>(() => memory.Span.Length).Message);
        Assert.Throws<ObjectDisposedException>(() => memory.Pin());
        Assert.Throws<ObjectDisposedException>(() => view.Memory);
        allocator.Free(page);
    }

    [Fact]
    public void A_view_s_memory_ends_with_its_allocator()
    {
        var allocator = Create();
        var view = allocator.Map([allocator.Allocate(0)]);
        var memory = view.Memory;
        allocator.Dispose();
        Assert.Contains("allocator", Assert.Throws<ObjectDisposedException>(() => memory.Span.Length).Message);
        view.Dispose();
    }

    /// <summary>Readers of a buffer's memory while another thread disposes it: each access sees the bytes or
    /// ObjectDisposedException, nothing else.</summary>
    [Fact]
    public async Task Memory_read_while_its_owner_goes_away_either_works_or_is_refused()
    {
        using var allocator = Create(folioFails: true);
        for (int round = 0; round < 100; round++)
        {
            var buffer = allocator.AllocateContiguous(3 * 4096);
            var page = allocator.Allocate(0);
            var view = allocator.Map([page]);
            buffer.Span.Fill(1);
            view.Span.Fill(1);
            var memories = new[] { buffer.Memory, view.Memory };
            using var start = new Barrier(3);
            var readers = memories.Select(memory => Task.Run(() =>
            {
                start.SignalAndWait();
                try
                {
                    for (int i = 0; ; i++)
                        Assert.Equal(1, memory.Span[i % memory.Length]);
                }
                catch (ObjectDisposedException)
                {
                }
            })).ToArray();
            start.SignalAndWait();
            buffer.Dispose();
            view.Unmap();
            await Task.WhenAll(readers);
            allocator.Free(page);
        }
        Assert.Equal(32, allocator.Statistics.FreePages);
    }

    [Theory]
    [MemberData(nameof(Mapped))]
    public void The_whole_buffer_sequence_is_the_ranged_one_from_zero_to_the_end(bool mapped)
    {
        using var allocator = BufferFactory.AllocatorFor(mapped ? BufferLayout.Mapped : BufferLayout.Pages, 4096);
        using var buffer = BufferFactory.Create(allocator, mapped ? BufferLayout.Mapped : BufferLayout.Pages, 10000);
        var bytes = new byte[10000];
        new Random(4).NextBytes(bytes);
        buffer.Write(0, bytes);
        var whole = buffer.AsSequence();
        Assert.Equal(10000, whole.Length);
        Assert.Equal(bytes, whole.ToArray());
        Assert.Equal(buffer.AsSequence(0, 10000).ToArray(), whole.ToArray());
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => whole.First.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.AsSequence());
    }
}
