using System.Runtime.CompilerServices;
using Folios.Analyzers.Pages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Folios.Analyzers.Engine;

/// <summary>
/// The cheap first question for every body: does its text name anything of Folios? Names are the runtime's types
/// and the members that allocate, map or hand out page memory, and the methods of this compilation that carry the
/// contract attributes or take AllocFlags. A body that names none of them is skipped before any operation walk,
/// callback or graph: most code of a project that references Folios does not use it. Built once per compilation.
/// A wrapper from another assembly, called through <c>var</c> in a body that names nothing else of Folios, is the
/// one shape this misses.
/// </summary>
internal sealed class Relevance
{
    private static readonly PerCompilation<Relevance> Cache = new(compilation => new Relevance(compilation, FoliosTypes.TryCreate(compilation)!));
    private static readonly string[] ContractMarkers = ["MapsPages", "UnmapsPages", "RawPageAccess", "PageOrder", "AllocationSize", "AllocFlags"];

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _offsetHelpers = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<SyntaxTree, FileIndex> _indexes = new();
    private readonly string[]?[] _namesByLength;
    private readonly string[]?[] _offsetHelpersByLength;
    private readonly ulong[] _wordFilter;
    private readonly ConditionalWeakTable<SyntaxTree, FileIndex>.CreateValueCallback _indexFile; // one delegate, not one per question

    private Relevance(Compilation compilation, FoliosTypes types)
    {
        var runtime = RuntimeNames.Of(types);
        _names.UnionWith(runtime.Names);
        _offsetHelpers.UnionWith(runtime.OffsetHelpers);
        // The user's wrappers: found from each marker's place in the text, not by walking every tree.
        foreach (var tree in compilation.SyntaxTrees)
        {
            string text = SourceTexts.Of(tree);
            foreach (string marker in ContractMarkers)
            {
                for (int at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
                {
                    var token = tree.GetRoot().FindToken(at);
                    if (token.IsKind(SyntaxKind.IdentifierToken) && token.SpanStart == at
                        && token.Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method
                        && (method.ParameterList.Span.Contains(at) || method.AttributeLists.Any(list => list.Span.Contains(at))))
                        _names.Add(method.Identifier.ValueText);
                }
            }
        }
        _namesByLength = ByLength(_names);
        _offsetHelpersByLength = ByLength(_offsetHelpers);
        _wordFilter = WordFilter(_names, _offsetHelpers);
        _indexFile = tree => new FileIndex(SourceTexts.Of(tree), _namesByLength, _offsetHelpersByLength, _wordFilter);
    }

    /// <summary>The compilation's relevance; only asked once <see cref="FoliosTypes.TryCreate"/> found the runtime.</summary>
    public static Relevance Of(Compilation compilation) => Cache.Of(compilation);

    /// <summary>The question most rules ask of a member (<see cref="Mentions"/>), as <see cref="RuleBlock.Register{TRule}"/> takes it.</summary>
    public static readonly Func<Relevance, SyntaxNode, bool> NamesFolios = static (relevance, node) => relevance.Mentions(node);

    /// <summary>FOLIO008's question (<see cref="MentionsOffsets"/>).</summary>
    public static readonly Func<Relevance, SyntaxNode, bool> NamesOffsets = static (relevance, node) => relevance.MentionsOffsets(node);

    /// <summary>Whether the node's text names a Folios type, entry point, or a method of this compilation that wraps one.</summary>
    public bool Mentions(SyntaxNode node) => Any(IndexOf(node.SyntaxTree).Names, node.Span);

    /// <summary>
    /// Where FOLIO008 looks for offsets: the text holds a shift or a literal it could report (see
    /// <see cref="PageGeometry.FindGeometry"/>), and the member names Folios, or names an ExtentBuffer helper that
    /// takes an offset (ReadByte, Clear, ...) inside a type that names Folios (a buffer held in a field). The same
    /// helper names on a MemoryStream or BinaryPrimitives in a type that never names Folios are not offsets.
    /// </summary>
    public bool MentionsOffsets(SyntaxNode node)
    {
        var index = IndexOf(node.SyntaxTree);
        return Any(index.Geometry, node.Span)
            && (Any(index.Names, node.Span)
                || Any(index.OffsetHelpers, node.Span) && node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type && Any(index.Names, type.Span));
    }

    /// <summary>
    /// The code blocks of a file around the places where it names Folios or holds page geometry: each rule then asks
    /// <see cref="Mentions"/> or <see cref="MentionsOffsets"/> of these only, so a file that names nothing of Folios
    /// yields none and costs no member walk. Found once per file, for every rule.
    /// </summary>
    public IReadOnlyList<SyntaxNode> CodeBlocks(SyntaxTree tree, CancellationToken cancellation)
    {
        var index = IndexOf(tree);
        if (index.Names.Length == 0)
            return [];
        return index.CodeBlocks ??= CodeBlocksAround(tree.GetRoot(cancellation), index);
    }

    /// <summary>
    /// The units the driver would hand a code-block action that hold one of the file's places: a method, constructor,
    /// operator or accessor; a field declaration (its initializers); a property or indexer (its expression body and
    /// initializer); a type with a primary constructor (the driver's code block for that constructor is the whole
    /// type); the top-level statements, which every name in their file makes relevant, as the driver's code block for
    /// them is the whole file. Found by walking the declarations only, never into a body, one binary search each.
    /// </summary>
    private static List<SyntaxNode> CodeBlocksAround(SyntaxNode root, FileIndex index)
    {
        var blocks = new List<SyntaxNode>();
        if (root is CompilationUnitSyntax unit)
        {
            foreach (var member in unit.Members)
            {
                if (member is GlobalStatementSyntax)
                {
                    blocks.Add(unit);
                    break;
                }
            }
            AddCodeBlocks(unit.Members, index, blocks);
        }
        return blocks;
    }

    private static void AddCodeBlocks(SyntaxList<MemberDeclarationSyntax> members, FileIndex index, List<SyntaxNode> blocks)
    {
        foreach (var member in members)
        {
            if (!index.HoldsAPlace(member.Span))
                continue;
            switch (member)
            {
                case BaseNamespaceDeclarationSyntax space:
                    AddCodeBlocks(space.Members, index, blocks);
                    break;
                case TypeDeclarationSyntax type:
                    if (type.ParameterList is not null)
                        blocks.Add(type);
                    AddCodeBlocks(type.Members, index, blocks);
                    break;
                case BaseMethodDeclarationSyntax or BaseFieldDeclarationSyntax:
                    blocks.Add(member);
                    break;
                case BasePropertyDeclarationSyntax property:
                    blocks.Add(property);
                    foreach (var accessor in property.AccessorList?.Accessors ?? default)
                    {
                        if (index.HoldsAPlace(accessor.Span))
                            blocks.Add(accessor);
                    }
                    break;
            }
        }
    }

    private FileIndex IndexOf(SyntaxTree tree) => _indexes.GetValue(tree, _indexFile);

    /// <summary>Whether a position of the sorted list falls inside the span: one binary search.</summary>
    private static bool Any(int[] positions, TextSpan span)
    {
        int at = Array.BinarySearch(positions, span.Start);
        if (at < 0)
            at = ~at;
        return at < positions.Length && positions[at] < span.End;
    }

    /// <summary>
    /// Where one file names Folios, names an offset helper, or holds page geometry: sorted positions, from one scan of
    /// the file's text. Its code blocks are found from them, and every rule asks about each with a binary search, so
    /// ten rules cost one scan, and a file that names nothing of Folios costs one scan in all. The scan reads text,
    /// not tokens: a token walk creates the tree's red nodes. Words in comments and strings count too, which only
    /// makes the answer more often yes.
    /// </summary>
    private sealed class FileIndex
    {
        // AggressiveOptimization (netstandard2.0 does not name it): a cold compiler otherwise runs this loop unoptimized
        // and then compiles it again on each thread by on-stack replacement, 8-23 ms of JIT time in a trace of csc.
        [MethodImpl((MethodImplOptions)512)]
        public FileIndex(string text, string[]?[] names, string[]?[] offsetHelpers, ulong[] wordFilter)
        {
            var found = new List<int>();
            var helpers = new List<int>();
            for (int i = 0; i < text.Length;)
            {
                char c = text[i];
                if (!SourceTexts.IsWordCharacter(c))
                {
                    i++;
                    continue;
                }
                int start = i;
                while (i < text.Length && SourceTexts.IsWordCharacter(text[i]))
                    i++;
                if (c is < '0' or > '9' && MayBeAName(wordFilter, i - start, c, text[i - 1]))
                {
                    if (IsOneOf(text, start, i - start, names))
                        found.Add(start);
                    if (IsOneOf(text, start, i - start, offsetHelpers))
                        helpers.Add(start);
                }
            }
            // FOLIO008 looks only where the file names Folios (a member, or the type around it): a file that does not
            // needs no search for numbers.
            var geometry = new List<int>();
            if (found.Count > 0)
                PageGeometry.FindGeometry(text, geometry);
            Names = found.ToArray();
            OffsetHelpers = helpers.ToArray();
            Geometry = geometry.ToArray();
        }

        public int[] Names { get; }

        public int[] OffsetHelpers { get; }

        public int[] Geometry { get; }

        /// <summary>Whether the span holds a place where the file names Folios or holds page geometry.</summary>
        public bool HoldsAPlace(TextSpan span) => Any(Names, span) || Any(Geometry, span);

        /// <summary>Set at the first rule's callback for the file; two threads may both find them, and find the same.</summary>
        public List<SyntaxNode>? CodeBlocks { get; set; }

        [MethodImpl((MethodImplOptions)512)] // called for every word of the file, like the loop above
        private static bool IsOneOf(string text, int start, int length, string[]?[] byLength)
        {
            if (length >= byLength.Length || byLength[length] is not { } candidates)
                return false;
            foreach (string name in candidates)
            {
                if (name[0] == text[start] && string.CompareOrdinal(text, start, name, 0, length) == 0)
                    return true;
            }
            return false;
        }
    }

    /// <summary>
    /// One bit for each (length, first character, last character) of a name or offset helper, each taken modulo 16,
    /// 32 and 32: most words of a file share none of them with a name and are passed over with one bit test, before the
    /// lists of names of their length are searched (the file scan ran 1.14-1.38x faster again on the plain corpus and
    /// on the sources of npgsql, dotNext and grpc-dotnet; no faster on the heavy corpus, where many words are names).
    /// </summary>
    private static ulong[] WordFilter(HashSet<string> names, HashSet<string> offsetHelpers)
    {
        var filter = new ulong[1 << (4 + 5 + 5 - 6)];
        foreach (var set in new[] { names, offsetHelpers })
        {
            foreach (string name in set)
            {
                int bit = FilterBit(name.Length, name[0], name[name.Length - 1]);
                filter[bit >> 6] |= 1UL << (bit & 63);
            }
        }
        return filter;
    }

    private static bool MayBeAName(ulong[] filter, int length, char first, char last)
    {
        int bit = FilterBit(length, first, last);
        return (filter[bit >> 6] & (1UL << (bit & 63))) != 0;
    }

    private static int FilterBit(int length, char first, char last) => (length & 15) << 10 | (first & 31) << 5 | last & 31;

    /// <summary>The names grouped by length, indexed by it: most words of a file are rejected by one array read.</summary>
    private static string[]?[] ByLength(HashSet<string> names)
    {
        // Plain loops: LINQ's grouping costs a cold compiler its first compilation.
        int longest = 0;
        foreach (string name in names)
            longest = Math.Max(longest, name.Length);
        var counts = new int[longest + 1];
        foreach (string name in names)
            counts[name.Length]++;
        var byLength = new string[]?[names.Count == 0 ? 0 : longest + 1];
        foreach (string name in names)
        {
            var group = byLength[name.Length] ??= new string[counts[name.Length]];
            group[group.Length - counts[name.Length]--] = name;
        }
        return byLength;
    }
}
