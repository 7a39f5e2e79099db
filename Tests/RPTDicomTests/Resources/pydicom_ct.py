"""CT Image Storage slices written with pydicom, shared by the DICOM fixture writers (make_assembly_fixtures.py,
make_label_fixtures.py here and RPTDicomIntegrationTests/Resources/ct_nifti_to_dicom.py,
which puts this folder on sys.path). pydicom is the independent writer: nothing here comes from RPTDose.
"""
import os

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"


def ct_slice(study, series, frame_of_reference, position, orientation, stored, pixel_spacing, slice_thickness,
             image_type=("ORIGINAL", "PRIMARY", "AXIAL"), number=1, patient=("Doe^Jane", "PID-1", "F"), date="20240103",
             **attributes):
    """One CT slice: `stored` (rows × columns) as signed 16-bit stored values, Rescale Slope 1 / Intercept −1024
    (HU = stored − 1024) unless `attributes` override them; `attributes` are set last (keyword = value)."""
    from pydicom.uid import generate_uid
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID, ds.SOPInstanceUID = CT_IMAGE_STORAGE, generate_uid()
    ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.PatientSex = patient[0], patient[1], "", patient[2]
    ds.StudyInstanceUID, ds.StudyDate, ds.StudyTime, ds.StudyID, ds.AccessionNumber = study, date, "100000", "1", ""
    ds.ReferringPhysicianName = ""
    ds.SeriesInstanceUID, ds.SeriesNumber, ds.Modality, ds.Manufacturer = series, 1, "CT", "Independent"
    ds.FrameOfReferenceUID, ds.PositionReferenceIndicator = frame_of_reference, ""
    ds.ImageType = list(image_type)
    ds.ImageOrientationPatient = [round(float(v), 8) for v in orientation]
    ds.ImagePositionPatient = [round(float(v), 6) for v in position]
    ds.PixelSpacing, ds.SliceThickness = [float(v) for v in pixel_spacing], float(slice_thickness)
    ds.Rows, ds.Columns = stored.shape
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    ds.RescaleSlope, ds.RescaleIntercept, ds.RescaleType = 1, -1024, "HU"
    ds.InstanceNumber, ds.AcquisitionNumber, ds.KVP = number, 1, 120
    ds.ContentDate, ds.ContentTime = date, "100000"
    ds.PixelData = stored.astype("<i2").tobytes()
    for keyword, value in attributes.items():
        setattr(ds, keyword, value)
    return ds


def save(ds, out_dir, rel):
    """Writes `ds` as a Part 10 file at out_dir/rel (folders created); returns the path."""
    path = os.path.join(out_dir, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ds.save_as(path, enforce_file_format=True)
    return path
