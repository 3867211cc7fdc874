using Microsoft.CodeAnalysis.Testing;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.PageGeometryAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests.Rules;

public class PageGeometryAnalyzerTests
{
    private const string Members = """
        static int Items(byte[] b) => b.Length;
        static void Log(int value) { }
        """;

    [Theory]
    [InlineData("var folio = buffer.GetFolio(n / {|FOLIO008:4096|}); folio.Span[n % {|FOLIO008:4096|}] = 1;")]
    [InlineData("var folio = buffer.GetFolio(n >> {|FOLIO008:12|}); var b = folio.Span[n & {|FOLIO008:4095|}];")]
    [InlineData("var b = buffer.ReadByte(n * {|FOLIO008:4096|} + 8);")]
    [InlineData("int offset = n * {|FOLIO008:0x1000|}; buffer.WriteUInt32LittleEndian(offset, 7);")]
    [InlineData("int page = n >> {|FOLIO008:12|}; var f = buffer.GetFolio(page);")]
    [InlineData("int inPage = n & {|FOLIO008:0xFFF|}; var f = buffer.GetFolio(0); f.Span[inPage] = 1;")]
    [InlineData("int start = n & {|FOLIO008:~4095|}; buffer.Clear(start, 16);")]
    [InlineData("for (int o = 0; o < buffer.Length; o += {|FOLIO008:4096|}) buffer.WriteByte(o, 0);")]
    [InlineData("int o = buffer.OffsetInFolio(n); int next = o + {|FOLIO008:4096|}; Log(next);")]
    [InlineData("int index = buffer.FolioIndex(n); Log(index << {|FOLIO008:12|});")]
    [InlineData("buffer.CopyFrom(buffer, n * {|FOLIO008:4096|}, 0, 16);")]
    [InlineData("buffer.Move(0, (n + 1) * {|FOLIO008:4096|}, 32);")]
    [InlineData("var span = buffer.GetFolio(0).Span; span.Slice(n % {|FOLIO008:4096|}, 4).Clear();")]
    [InlineData("var view = buffer.Map(); view.Span[(n >> {|FOLIO008:12|}) * 8] = 1; view.Unmap();")]
    [InlineData("int at = n; at %= {|FOLIO008:4096|}; buffer.WriteByte(at, 1);")]
    [InlineData("Func<int, byte> read = o => buffer.ReadByte(o * {|FOLIO008:4096|}); read(n);")]
    [InlineData("uint page = (uint)n & {|FOLIO008:~0xFFFu|}; buffer.WriteByte((int)page, 1);")]
    [InlineData("var b = buffer.ReadByte({|FOLIO008:16384|} * n);")]
    // Literal spellings: digit separators, leading zeros, suffixes, a 64-bit mask.
    [InlineData("var b = buffer.ReadByte(n * {|FOLIO008:4_096|});")]
    [InlineData("int inPage = n & {|FOLIO008:0x0_FFF|}; buffer.WriteByte(inPage, 1);")]
    [InlineData("uint page = (uint)n & {|FOLIO008:0xFFFF_F000u|}; buffer.WriteByte((int)page, 1);")]
    [InlineData("buffer.WriteByte((int)(n * {|FOLIO008:4096L|}), 1);")]
    [InlineData("ulong page = (ulong)n & {|FOLIO008:0xFFFF_FFFF_FFFF_F000UL|}; buffer.WriteByte((int)page, 1);")]
    [InlineData("ulong page = (ulong)n & {|FOLIO008:~0xFFFUL|}; buffer.WriteByte((int)page, 1);")]
    public Task Reports_literal_page_geometry_in_offset_arithmetic(string body) => Verify.Analyze(Snippets.InMethod(body, Members));

    [Theory]
    [InlineData("var scratch = new byte[4096]; Log(Items(scratch));")]
    [InlineData("System.Threading.Thread.Sleep(4096 / 2);")]
    [InlineData("using var b = ExtentBuffer.Allocate(allocator, 4 * 4096);")]
    [InlineData("int size = n * 4096; using var b = ExtentBuffer.Allocate(allocator, size);")]
    [InlineData("var b = buffer.ReadByte(4096);")]
    [InlineData("buffer.Clear(0, 2 * 4096);")]
    [InlineData("var d = new byte[n * 4096]; buffer.Read(0, d.AsSpan(0, 16));")]
    [InlineData("var f = buffer.GetFolio(buffer.FolioIndex(n)); f.Span[buffer.OffsetInFolio(n)] = 1;")]
    [InlineData("var f = buffer.GetFolio(n >> allocator.PageShift); f.Span[n & (allocator.PageSize - 1)] = 1;")]
    [InlineData("const int SectorSize = 4096; buffer.WriteByte(n * SectorSize, 1);")]
    [InlineData("int hash = n % 4096; Log(hash);")]
    [InlineData("ulong high = (ulong)n & 0xFFFF_FFFF_0000_0000UL; buffer.WriteByte((int)(high >> 32), 1);")]
    [InlineData("long bytes = (long)n << 12; Log((int)bytes);")]
    [InlineData("buffer.SetBits(0, n % 4096, 3);")]
    [InlineData("int pages = (n + 4095) / 4096; Log(pages);")]
    [InlineData("var chunk = destination.AsSpan(n % 4096, 4); buffer.Read(0, chunk);")]
    [InlineData("for (int i = 0; i < n; i += 4096) Log(i);")]
    [InlineData("Span<byte> local = stackalloc byte[4096]; local[n % 4096] = 1;")]
    public Task Stays_silent_on_the_same_numbers_elsewhere(string body) => Verify.Analyze(Snippets.InMethod(body, Members));

    [Fact]
    public Task Reports_in_generic_async_and_local_functions() => Verify.Analyze(Snippets.InMethod("""
        int Local(int o) => buffer.ReadByte(o >> {|FOLIO008:12|});
        Local(n);
        """, Members + """
        async Task<byte> Later(int o) { await Task.Yield(); return buffer.ReadByte(o * {|FOLIO008:4096|}); }
        T Generic<T>(int o) where T : unmanaged => buffer.Read<T>(o & {|FOLIO008:~4095|});
        """));

    [Fact]
    public async Task The_message_names_the_literal_the_geometry_and_what_to_use()
    {
        var test = Verify.Create(Snippets.InMethod("int page = n >> {|#0:12|}; var f = buffer.GetFolio(page);", Members), null, true);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("FOLIO008", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithLocation(0)
            .WithArguments("12", "shift", "buffer.FolioIndex(offset) or allocator.PageShift"));
        await test.RunAsync();
    }

    [Fact]
    public Task A_pragma_silences_the_rule() => Verify.Analyze(Snippets.InMethod("""
        #pragma warning disable FOLIO008
        var b = buffer.ReadByte(n * 4096);
        #pragma warning restore FOLIO008
        """, Members));

    [Fact]
    public Task Nothing_is_reported_without_the_runtime() => Verify.Analyze("""
        namespace Other { class ExtentBuffer { public byte ReadByte(int offset) => 0; }
        class C { void M(ExtentBuffer b, int n) { b.ReadByte(n * 4096); } } }
        """, withRuntime: false);

    [Theory]
    [InlineData("var b = buffer.ReadByte(n * {|FOLIO008:4096|}")]
    [InlineData("int page = n >> ; buffer.GetFolio(page);")]
    [InlineData("buffer.GetFolio(n / {|FOLIO008:4096|}).Span[n % ]")]
    public Task Incomplete_code_is_analyzed_without_failing(string body) => Verify.AnalyzeIncomplete(Snippets.InMethod(body));

    // Values read out of the buffer are data, and bits mixed into a hash are not offsets, whatever they index later.
    [Theory]
    [InlineData("ushort mode = buffer.ReadUInt16LittleEndian(n + 2); int type = mode >> 12; Log(type);")]
    [InlineData("var inode = buffer.GetFolio(0).Span; ushort mode = BinaryPrimitives.ReadUInt16LittleEndian(inode.Slice(2)); if ((mode & 0xF000) >> 12 == 4) Log(n);")]
    [InlineData("uint h = (uint)n * 0x9E3779B1u; h ^= h >> 16; int slot = (int)(h & 255u); buffer.WriteUInt32LittleEndian(slot * 4, h);")]
    [InlineData("uint h = (uint)n; h = (h ^ (h >> 16)) * 0x45D9F3Bu; buffer.WriteByte((int)(h % 64u) * 8, 1);")]
    [InlineData("uint h = (uint)n; h = (h << 16) | (h >> 16); buffer.WriteByte((int)(h & 63u), 1);")]
    [InlineData("int free = 4096 - n; Log(free);")]
    [InlineData("const int BlockSize = 4096; int blocks = n / BlockSize; buffer.WriteUInt32LittleEndian(16, (uint)blocks);")]
    [InlineData("const int SectorSize = 4096; var f = buffer.GetFolio(0); f.Span.Slice(n * SectorSize, 16).Clear();")]
    [InlineData("const int SectorSize = 4096; buffer.Clear(n / SectorSize * 512, 512);")]
    public Task Stays_silent_on_data_read_from_the_buffer_hash_mixing_and_named_sizes_that_pick_no_folio(string body) => Verify.Analyze(Snippets.InMethod(body, Members));

    // A named page size that splits an offset into a folio and an offset in it; the bytes at the end of a page.
    [Theory]
    [InlineData("const int PageSize = 4096; var f = buffer.GetFolio(n / {|FOLIO008:PageSize|}); f.Span[n % {|FOLIO008:PageSize|}] = 1;")]
    [InlineData("const int PageShift = 12; int index = n >> {|FOLIO008:PageShift|}; var f = buffer.GetFolio(index);")]
    [InlineData("const int PageSize = 4096; var f = buffer.GetFolio(0); var b = f.Span[n & ({|FOLIO008:PageSize - 1|})];")]
    [InlineData("var page = buffer.GetFolio(n).Span; var crc = BinaryPrimitives.ReadUInt32LittleEndian(page.Slice({|FOLIO008:4096|} - 4));")]
    [InlineData("int inPage = buffer.OffsetInFolio(n); int left = {|FOLIO008:4096|} - inPage; Log(left);")]
    [InlineData("int start = n * allocator.PageSize; var tail = buffer.ReadUInt64LittleEndian(start + {|FOLIO008:4096|} - 8);")]
    public Task Reports_named_page_sizes_that_pick_a_folio_and_the_end_of_a_page(string body) => Verify.Analyze(Snippets.InMethod(body, Members));

    [Fact]
    public Task Reports_a_page_size_constant_of_the_type_that_picks_a_folio() => Verify.Analyze(Snippets.Usings + """
        sealed class NodeCursor
        {
            private const int PageSize = 4096;
            private readonly ExtentBuffer _node;
            public NodeCursor(ExtentBuffer node) => _node = node;
            public byte KeyType(int itemOffset)
            {
                var folio = _node.GetFolio(itemOffset / {|FOLIO008:PageSize|});
                return folio.Span[itemOffset % {|FOLIO008:PageSize|}];
            }
            public int Blocks(int bytes) => bytes / PageSize;
        }
        """);
}
