using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Pages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO008: a literal page size, offset mask, page mask or page shift in arithmetic on a buffer offset, or whose
/// result becomes one. The same numbers elsewhere (array sizes, timeouts, buffer lengths) are left alone.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PageGeometryAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Which geometry the literal stands for (<see cref="PageGeometry.Kind"/>), for the code fix.</summary>
    public const string KindProperty = "Kind";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.HardCodedPageGeometry);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, static facts => facts.Folios is { } types && (types.ExtentBuffer is not null || types.Folio is not null) ? types : null,
            [PageGeometry.Literals, FoliosEntryPoints.Api, FoliosEntryPoints.OffsetHelpers], MayHoldOffsets, Analyze);
    }

    /// <summary>
    /// Where FOLIO008 looks: the member names Folios (its operations are built for the other rules anyway, and a named
    /// page size declared elsewhere leaves no literal in it), or holds a literal or shift it could report and names an
    /// ExtentBuffer helper that takes an offset (ReadByte, Clear, ...) inside a type that names Folios (a buffer held in
    /// a field). The same helper names on a MemoryStream or BinaryPrimitives in a type that never names Folios are not
    /// offsets.
    /// </summary>
    private static bool MayHoldOffsets(FilePlaces places, SyntaxNode block) =>
        places.Holds(FoliosEntryPoints.Api, block.Span)
        || places.Holds(PageGeometry.Literals, block.Span)
            && places.Holds(FoliosEntryPoints.OffsetHelpers, block.Span) && block.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type && places.Holds(FoliosEntryPoints.Api, type.Span);

    private static void Analyze(RuleBlock context, FoliosTypes types)
    {
        if (context.Root is not (IMethodBodyOperation or IConstructorBodyOperation))
            return;
        var candidates = PageGeometry.Candidates(context.Root);
        if (candidates.Count == 0)
            return;
        var offsets = new PageGeometry.Offsets(context.Root, types);
        foreach (var candidate in candidates)
        {
            if (candidate.Named ? !offsets.SplitsIntoFolio(candidate.Arithmetic) : !offsets.Mentions(candidate.Other) && !offsets.Receives(candidate.Arithmetic))
                continue;
            var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, candidate.Kind.ToString());
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.HardCodedPageGeometry, candidate.Literal.Syntax.GetLocation(), properties,
                candidate.Literal.Syntax.ToString(), Describe(candidate.Kind), Suggest(candidate.Kind)));
        }
    }

    private static string Describe(PageGeometry.Kind kind) => kind switch
    {
        PageGeometry.Kind.Size => "size",
        PageGeometry.Kind.OffsetMask => "offset mask",
        PageGeometry.Kind.PageMask => "page mask",
        _ => "shift",
    };

    private static string Suggest(PageGeometry.Kind kind) => kind switch
    {
        PageGeometry.Kind.Size => "allocator.PageSize",
        PageGeometry.Kind.OffsetMask => "buffer.OffsetInFolio(offset) or (allocator.PageSize - 1)",
        PageGeometry.Kind.PageMask => "~(allocator.PageSize - 1)",
        _ => "buffer.FolioIndex(offset) or allocator.PageShift",
    };
}
