using System.Collections.Immutable;
using Folios.Analyzers;
using Folios.Analyzers.Engine;
using Folios.Analyzers.Pages;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Rules;

/// <summary>
/// FOLIO002: indexing, slicing, BinaryPrimitives, MemoryMarshal or CopyTo over a span that comes from a
/// [RawPageAccess] member (<c>GetFolio(i).Span</c>), unless the access provably stays inside the folio.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RawPageAccessAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.RawCrossPageAccess);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.SkippedByTheRules);
        context.EnableConcurrentExecution();
        RuleBlock.Register(context, static facts => facts.Folios is { RawPageAccessAttribute: not null, Folio: not null } types ? types : null,
            FoliosEntryPoints.Api, static (block, types) =>
        {
            foreach (var operation in block.Operations<IOperation>())
            {
                if (operation is IPropertyReferenceOperation or ILocalReferenceOperation)
                    Analyze(block, operation, types);
            }
        });
    }

    private static void Analyze(RuleBlock context, IOperation source, FoliosTypes types)
    {
        string? rawMember = source switch
        {
            IPropertyReferenceOperation property => RawSpanSource(property, types),
            ILocalReferenceOperation local when FrameworkTypes.IsSpan(local.Local.Type)
                && IsDeclaredFromSpanProperty(local.Local)
                && ConstantValues.SingleAssignedValue(local) is IPropertyReferenceOperation initializer => RawSpanSource(initializer, types),
            _ => null,
        };
        if (rawMember is null || types.IsInsidePageHelper(context.ContainingSymbol))
            return;

        var pageSize = FoliosOptions.Read(context.Options, source.Syntax.SyntaxTree).PageSize;
        var access = RawAccess.Follow(source, types, pageSize);
        if (access is null || access.StaysInsideFolio)
            return;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.RawCrossPageAccess, access.Node.Syntax.GetLocation(),
            access.Node.Syntax.ToString(), rawMember, access.Helper));
    }

    /// <summary>
    /// A syntactic look at the declaration (<c>var s = x.Span;</c>) before the walk that proves nothing else
    /// writes the local: most span locals come from elsewhere, and the walk covers the whole body.
    /// </summary>
    private static bool IsDeclaredFromSpanProperty(ILocalSymbol local)
    {
        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: var value }
                && UnwrapSyntax(value) is MemberAccessExpressionSyntax { Name.Identifier.ValueText: Names.Folio.Span })
                return true;
        }
        return false;
    }

    private static ExpressionSyntax UnwrapSyntax(ExpressionSyntax expression) => expression switch
    {
        ParenthesizedExpressionSyntax parenthesized => UnwrapSyntax(parenthesized.Expression),
        PostfixUnaryExpressionSyntax suppressed when suppressed.IsKind(SyntaxKind.SuppressNullableWarningExpression) => UnwrapSyntax(suppressed.Operand),
        _ => expression,
    };

    /// <summary>The raw member behind <c>x.Span</c> when x is a Folio from a [RawPageAccess] member; else null.</summary>
    private static string? RawSpanSource(IPropertyReferenceOperation property, FoliosTypes types)
    {
        if (property.Property.Name != Names.Folio.Span || !SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, types.Folio))
            return null;
        var instance = OperationShape.Unwrap(property.Instance);
        if (instance is ILocalReferenceOperation local)
            instance = OperationShape.Unwrap(ConstantValues.SingleAssignedValue(local));
        ISymbol? member = instance switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IPropertyReferenceOperation folioProperty => folioProperty.Property,
            _ => null,
        };
        return member is not null && FoliosTypes.HasAttribute(member, types.RawPageAccessAttribute) ? member.Name : null;
    }
}
