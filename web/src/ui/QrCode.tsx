import { type ComponentProps, lazy, Suspense } from "react";
import type { QRCodeSVG as QRCodeSVGType } from "qrcode.react";

// The QR code library is needed on two seldom-opened pages (Telegram, two-factor): it loads there.
const QRCodeSVG = lazy(() => import("qrcode.react").then((module) => ({ default: module.QRCodeSVG })));

/** qrcode.react's QRCodeSVG, loaded when first shown; its square is kept free meanwhile. */
export function QrCode(props: ComponentProps<typeof QRCodeSVGType>) {
  const size = props.size ?? 128;
  return (
    <Suspense fallback={<span style={{ display: "inline-block", width: size, height: size }} />}>
      <QRCodeSVG {...props} />
    </Suspense>
  );
}
