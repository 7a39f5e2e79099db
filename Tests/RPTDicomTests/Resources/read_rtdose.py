"""Reads an RT Dose file with pydicom and prints what the Swift test compares, as JSON."""
import json
import sys

import pydicom

ds = pydicom.dcmread(sys.argv[1])
dose = ds.pixel_array.astype("float64") * float(ds.DoseGridScaling)
print(json.dumps({
    "transferSyntax": str(ds.file_meta.TransferSyntaxUID),
    "sopClass": str(ds.SOPClassUID),
    "mediaSopClass": str(ds.file_meta.MediaStorageSOPClassUID),
    "sopInstance": str(ds.SOPInstanceUID),
    "modality": ds.Modality,
    "patientName": str(ds.PatientName),
    "patientID": ds.PatientID,
    "studyUID": str(ds.StudyInstanceUID),
    "forUID": str(ds.FrameOfReferenceUID),
    "ipp": [float(v) for v in ds.ImagePositionPatient],
    "iop": [float(v) for v in ds.ImageOrientationPatient],
    "pixelSpacing": [float(v) for v in ds.PixelSpacing],
    "offsets": [float(v) for v in ds.GridFrameOffsetVector],
    "frames": int(ds.NumberOfFrames),
    "rows": int(ds.Rows),
    "columns": int(ds.Columns),
    "bits": [int(ds.BitsAllocated), int(ds.BitsStored), int(ds.HighBit), int(ds.PixelRepresentation)],
    "units": [ds.DoseUnits, ds.DoseType, ds.DoseSummationType],
    "scaling": float(ds.DoseGridScaling),
    "planRef": str(ds.ReferencedRTPlanSequence[0].ReferencedSOPClassUID),
    "frameIncrementPointer": int(ds.FrameIncrementPointer),
    "dose": dose.ravel().tolist(),
}))
