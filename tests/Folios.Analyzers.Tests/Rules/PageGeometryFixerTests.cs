using Folios.CodeFixes.Rules;
using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.PageGeometryAnalyzer, Folios.CodeFixes.Rules.PageGeometryFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class PageGeometryFixerTests
{
    [Theory]
    [InlineData("var b = buffer.ReadByte(n * {|FOLIO008:4096|} + 8);", "var b = buffer.ReadByte(n * allocator.PageSize + 8);")]
    [InlineData("int page = n >> {|FOLIO008:12|}; var f = buffer.GetFolio(page);", "int page = n >> allocator.PageShift; var f = buffer.GetFolio(page);")]
    [InlineData("int inPage = n & {|FOLIO008:0xFFF|}; buffer.GetFolio(0).Span[inPage] = 1;", "int inPage = n & (allocator.PageSize - 1); buffer.GetFolio(0).Span[inPage] = 1;")]
    [InlineData("int start = n & {|FOLIO008:~4095|}; buffer.Clear(start, 16);", "int start = n & ~(allocator.PageSize - 1); buffer.Clear(start, 16);")]
    [InlineData("for (int o = 0; o < buffer.Length; o += {|FOLIO008:4096|}) buffer.WriteByte(o, 0);", "for (int o = 0; o < buffer.Length; o += allocator.PageSize) buffer.WriteByte(o, 0);")]
    [InlineData("const int PageShift = 12; var f = buffer.GetFolio(n >> {|FOLIO008:PageShift|});", "const int PageShift = 12; var f = buffer.GetFolio(n >> allocator.PageShift);")]
    [InlineData("var page = buffer.GetFolio(0).Span; page.Slice({|FOLIO008:4096|} - 8).Clear();", "var page = buffer.GetFolio(0).Span; page.Slice(allocator.PageSize - 8).Clear();")]
    [InlineData("const int PageSize = 4096; var f = buffer.GetFolio(0); f.Span[n & ({|FOLIO008:PageSize - 1|})] = 1;", "const int PageSize = 4096; var f = buffer.GetFolio(0); f.Span[n & (allocator.PageSize - 1)] = 1;")]
    public Task The_literal_becomes_the_allocators_geometry(string body, string expected) =>
        Verify.FixWith(PageGeometryFixer.GeometryKey, Snippets.InMethod(body), Snippets.InMethod(expected));

    [Fact]
    public Task Without_an_allocator_in_scope_the_buffers_allocator_is_used() => Verify.FixWith(PageGeometryFixer.GeometryKey,
        Snippets.Usings + "class D { static byte Read(ExtentBuffer eb, int o) => eb.ReadByte(o * {|FOLIO008:4096|}); }",
        Snippets.Usings + "class D { static byte Read(ExtentBuffer eb, int o) => eb.ReadByte(o * eb.Allocator.PageSize); }");

    [Fact]
    public Task A_static_method_does_not_reach_an_instance_allocator() => Verify.FixWith(PageGeometryFixer.GeometryKey,
        Snippets.Usings + "class D { PageAllocator allocator = null!; static byte Read(ExtentBuffer eb, int o) => eb.ReadByte(o * {|FOLIO008:4096|}); }",
        Snippets.Usings + "class D { PageAllocator allocator = null!; static byte Read(ExtentBuffer eb, int o) => eb.ReadByte(o * eb.Allocator.PageSize); }");

    [Theory]
    [InlineData("var f = buffer.GetFolio(n / {|FOLIO008:4096|});", "var f = buffer.GetFolio(buffer.FolioIndex(n));")]
    [InlineData("var f = buffer.GetFolio(n >> {|FOLIO008:12|});", "var f = buffer.GetFolio(buffer.FolioIndex(n));")]
    [InlineData("buffer.GetFolio(0).Span[n % {|FOLIO008:4096|}] = 1;", "buffer.GetFolio(0).Span[buffer.OffsetInFolio(n)] = 1;")]
    [InlineData("var b = buffer.GetFolio(0).Span[n & {|FOLIO008:4095|}];", "var b = buffer.GetFolio(0).Span[buffer.OffsetInFolio(n)];")]
    [InlineData("const int PageSize = 4096; var f = buffer.GetFolio(n / {|FOLIO008:PageSize|});", "const int PageSize = 4096; var f = buffer.GetFolio(buffer.FolioIndex(n));")]
    public Task A_split_offset_into_a_buffers_folio_becomes_the_buffers_own_split(string body, string expected) =>
        Verify.FixWith(PageGeometryFixer.BufferHelpersKey, Snippets.InMethod(body), Snippets.InMethod(expected));

    [Theory]
    [InlineData("var b = buffer.ReadByte(n / {|FOLIO008:4096|});")]
    [InlineData("var f = buffer.GetFolio((n + 1) / {|FOLIO008:4096|});")]
    public Task No_buffer_helper_fix_outside_a_folio_pick(string body) =>
        Verify.FixWith(PageGeometryFixer.BufferHelpersKey, Snippets.InMethod(body), Snippets.InMethod(body));

    [Fact]
    public Task No_fix_for_an_unsigned_mask_whose_replacement_would_change_the_type()
    {
        const string body = "uint page = (uint)n & {|FOLIO008:~0xFFFu|}; buffer.WriteByte((int)page, 1);";
        return Verify.FixWith(PageGeometryFixer.GeometryKey, Snippets.InMethod(body), Snippets.InMethod(body));
    }

    [Fact]
    public Task No_fix_where_no_allocator_or_buffer_is_in_scope()
    {
        string source = Snippets.Usings + "class D { static byte Read(Func<int, byte> read, int o) { ExtentBuffer.Allocate(null!, 1).ReadByte(o * {|FOLIO008:4096|}); return read(o); } }";
        return Verify.FixWith(PageGeometryFixer.GeometryKey, source, source);
    }

    [Fact]
    public Task Fix_all_reaches_every_document_of_the_solution()
    {
        var test = Verify.Create(Snippets.InMethod("var b = buffer.ReadByte(n * {|FOLIO008:4096|}); int p = n >> {|FOLIO008:12|}; buffer.GetFolio(p);"), null, true);
        test.TestState.Sources.Add(("Other.cs", Snippets.Usings + "class D { byte M(ExtentBuffer eb, int o) => eb.ReadByte(o * {|FOLIO008:4096|}); }"));
        test.FixedState.Sources.Add(Snippets.InMethod("var b = buffer.ReadByte(n * allocator.PageSize); int p = n >> allocator.PageShift; buffer.GetFolio(p);"));
        test.FixedState.Sources.Add(("Other.cs", Snippets.Usings + "class D { byte M(ExtentBuffer eb, int o) => eb.ReadByte(o * eb.Allocator.PageSize); }"));
        test.CodeActionEquivalenceKey = PageGeometryFixer.GeometryKey;
        return test.RunAsync();
    }
}
